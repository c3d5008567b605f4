#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QTimer>

class QPlainTextEdit;

namespace workbench {

// Puts a text into a QPlainTextEdit without stalling the GUI thread, and only once the editor
// is visible: a short text at once, a long one a slice per event-loop turn (each time-boxed). Lines
// longer than kDisplayLine characters are shown as several lines, and no more than kDisplayLimit
// characters are shown; text() keeps the exact original for copying.
class TextFeeder : public QObject
{
    Q_OBJECT
public:
    static constexpr qsizetype kAtOnce = 64 * 1024; // characters put in without slicing
    static constexpr qsizetype kDisplayLine = 2000; // longest line handed to the layout
    static constexpr int kSliceBudgetMs = 12;       // work per event-loop turn
    // An editor holding more gets slow to grow and to lay out; beyond this, the editor ends with
    // a note and text() (what Copy takes) still holds everything.
    static constexpr qsizetype kDisplayLimit = 4 * 1024 * 1024;

    explicit TextFeeder(QPlainTextEdit *edit);

    void setText(const QString &text);
    const QString &text() const { return m_text; }
    // Everything the editor will show is in it.
    bool isDone() const { return m_position >= qMin(m_text.size(), kDisplayLimit); }
    // Still putting text into an editor the person can see.
    bool isFilling() const;

signals:
    void finished();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void feedSlice();
    // The next display line from m_position (advances it), ending in '\n' unless it is last.
    QStringView nextLine(bool *brokenLine);

    QPlainTextEdit *m_edit;
    QString m_text;
    qsizetype m_position = 0;
    QTimer m_timer;
};

} // namespace workbench
