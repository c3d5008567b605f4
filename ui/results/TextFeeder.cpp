#include "ui/results/TextFeeder.h"

#include <QEvent>
#include <QPlainTextEdit>
#include <QTextCursor>

namespace workbench {

TextFeeder::TextFeeder(QPlainTextEdit *edit) : QObject(edit), m_edit(edit)
{
    // Undo history of a 20 MB text would double its memory for nothing: the views are read-only.
    m_edit->document()->setUndoRedoEnabled(false);
    m_timer.setInterval(0);
    connect(&m_timer, &QTimer::timeout, this, &TextFeeder::feedSlice);
    m_edit->installEventFilter(this);
}

void TextFeeder::setText(const QString &text)
{
    m_timer.stop();
    m_text = text;
    m_position = 0;
    m_edit->clear();
    // A hidden editor (another tab) is filled when it is shown: no layout work for nothing.
    if (m_edit->isVisible())
        feedSlice();
}

bool TextFeeder::isFilling() const
{
    return !isDone() && m_edit->isVisible();
}

bool TextFeeder::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_edit && event->type() == QEvent::Show && !isDone() && !m_timer.isActive()) {
        if (m_text.size() <= kAtOnce)
            feedSlice(); // before the first paint, so the tab never shows empty
        else
            m_timer.start();
    }
    return QObject::eventFilter(watched, event);
}

QStringView TextFeeder::nextLine(bool *brokenLine)
{
    const qsizetype start = m_position;
    const qsizetype limit = qMin(m_text.size(), start + kDisplayLine);
    // Look no further than the display line: a 20 MB line must not be scanned per slice.
    const qsizetype newline = QStringView(m_text).mid(start, limit - start).indexOf(u'\n');
    qsizetype end;
    *brokenLine = false;
    if (newline >= 0) {
        end = start + newline + 1;
    } else {
        end = limit;
        // Never cut a surrogate pair in two.
        if (end < m_text.size() && end - start > 1 && m_text.at(end - 1).isHighSurrogate())
            --end;
        *brokenLine = end < m_text.size();
    }
    m_position = end;
    return QStringView(m_text).mid(start, end - start);
}

void TextFeeder::feedSlice()
{
    const bool all = m_text.size() <= kAtOnce;
    QElapsedTimer spent;
    spent.start();
    QTextCursor cursor(m_edit->document());
    cursor.movePosition(QTextCursor::End);
    while (!isDone() && (all || spent.elapsed() < kSliceBudgetMs)) {
        // Hand the document about 16 K characters at a time: one insert per line is slow.
        QString batch;
        while (!isDone() && batch.size() < 16 * 1024) {
            bool broken = false;
            batch += nextLine(&broken);
            if (broken)
                batch += QLatin1Char('\n');
        }
        cursor.insertText(batch);
    }
    if (!isDone()) {
        if (m_edit->isVisible())
            m_timer.start();
        return;
    }
    m_timer.stop();
    if (m_text.size() > kDisplayLimit)
        cursor.insertText(tr("\n[Showing the first %1 of %2 million characters; Copy takes all "
                             "of them.]")
                              .arg(double(kDisplayLimit) / 1e6, 0, 'f', 1)
                              .arg(double(m_text.size()) / 1e6, 0, 'f', 1));
    emit finished();
}

} // namespace workbench
