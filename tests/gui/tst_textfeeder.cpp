// TextFeeder: short texts at once, long ones in slices while shown, long lines broken for the
// layout only, and no more than the display limit; text() always the exact original.
#include "ui/results/TextFeeder.h"

#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTest>

using namespace workbench;

class TstTextFeeder : public QObject
{
    Q_OBJECT
private slots:
    void shortTextWaitsForTheEditorThenArrivesAtOnce()
    {
        QPlainTextEdit edit;
        TextFeeder feeder(&edit);
        QSignalSpy finished(&feeder, &TextFeeder::finished);
        feeder.setText(QStringLiteral("HTTP/1.1 200 OK\nContent-Type: text/plain\n\nhello"));
        QVERIFY(!feeder.isDone()); // a hidden tab costs no layout
        QVERIFY(edit.toPlainText().isEmpty());
        edit.show(); // the text is in before the first paint, not a turn later
        QVERIFY(feeder.isDone());
        QCOMPARE(finished.size(), 1);
        QCOMPARE(edit.toPlainText(),
                 QStringLiteral("HTTP/1.1 200 OK\nContent-Type: text/plain\n\nhello"));
    }

    void longTextWaitsUntilShownThenArrivesInSlices()
    {
        QPlainTextEdit edit;
        TextFeeder feeder(&edit);
        QString text;
        for (int i = 0; text.size() < 3 * TextFeeder::kAtOnce; ++i)
            text += QStringLiteral("line %1\n").arg(i);
        feeder.setText(text);
        QVERIFY(!feeder.isDone());
        QVERIFY(edit.toPlainText().isEmpty()); // hidden: nothing done yet
        QSignalSpy finished(&feeder, &TextFeeder::finished);
        edit.show();
        QVERIFY(QTest::qWaitForWindowExposed(&edit));
        QVERIFY(finished.wait(10000));
        QCOMPARE(edit.toPlainText(), text);
        QCOMPARE(feeder.text(), text);
    }

    void longLinesAreBrokenForDisplayOnly()
    {
        QPlainTextEdit edit;
        edit.show();
        TextFeeder feeder(&edit);
        const QString line(TextFeeder::kDisplayLine * 2 + 10, QLatin1Char('x'));
        feeder.setText(line);
        QCOMPARE(edit.document()->blockCount(), 3);
        QCOMPARE(edit.toPlainText().remove(QLatin1Char('\n')), line);
        QCOMPARE(feeder.text(), line); // what Copy takes has no added line break
    }

    void surrogatePairIsNeverCut()
    {
        QPlainTextEdit edit;
        edit.show();
        TextFeeder feeder(&edit);
        // A pair that would straddle the display-line boundary.
        const QString text = QString(TextFeeder::kDisplayLine - 1, QLatin1Char('a')) +
                             QString::fromUtf8("\xF0\x9F\x94\x91") + QStringLiteral("tail");
        feeder.setText(text);
        const QStringList lines = edit.toPlainText().split(QLatin1Char('\n'));
        QCOMPARE(lines.size(), 2);
        QCOMPARE(lines.at(0).size(), TextFeeder::kDisplayLine - 1);
        QVERIFY(lines.at(1).startsWith(QString::fromUtf8("\xF0\x9F\x94\x91")));
    }

    void beyondTheLimitTheEditorSaysSo()
    {
        QPlainTextEdit edit;
        edit.show();
        QVERIFY(QTest::qWaitForWindowExposed(&edit));
        TextFeeder feeder(&edit);
        QSignalSpy finished(&feeder, &TextFeeder::finished);
        QString text;
        for (int i = 0; text.size() < TextFeeder::kDisplayLimit + 100000; ++i)
            text += QStringLiteral("%1 abcdefghijklmnopqrstuvwxyz\n").arg(i, 8);
        feeder.setText(text);
        QVERIFY(finished.wait(60000));
        const QString shown = edit.toPlainText();
        QVERIFY(shown.size() < text.size());
        QVERIFY(text.startsWith(shown.left(TextFeeder::kDisplayLimit)));
        QVERIFY2(shown.endsWith(QStringLiteral("million characters; Copy takes all of them.]")),
                 qPrintable(shown.right(100)));
        QCOMPARE(feeder.text(), text);
    }

    void newTextReplacesOneStillLoading()
    {
        QPlainTextEdit edit;
        edit.show();
        QVERIFY(QTest::qWaitForWindowExposed(&edit));
        TextFeeder feeder(&edit);
        feeder.setText(QString(4 * TextFeeder::kAtOnce, QLatin1Char('z')));
        QSignalSpy finished(&feeder, &TextFeeder::finished);
        feeder.setText(QStringLiteral("second"));
        QTRY_VERIFY(feeder.isDone());
        QCoreApplication::processEvents(); // any slice of the first text still queued runs here
        QCOMPARE(edit.toPlainText(), QStringLiteral("second"));
        QVERIFY(!feeder.isFilling());
    }
};

QTEST_MAIN(TstTextFeeder)
#include "tst_textfeeder.moc"
