#include "core/util/FormEncoding.h"

#include <QTest>

using namespace workbench;

class TestFormEncoding : public QObject
{
    Q_OBJECT
private slots:
    void encodeComponent_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QByteArray>("plus");
        QTest::addColumn<QByteArray>("percent");
        QTest::newRow("unreserved")
            << "aZ09-._*" << QByteArray("aZ09-._*") << QByteArray("aZ09-._*");
        QTest::newRow("space") << "a b" << QByteArray("a+b") << QByteArray("a%20b");
        QTest::newRow("plus") << "a+b" << QByteArray("a%2Bb") << QByteArray("a%2Bb");
        QTest::newRow("colon and percent")
            << "a:%" << QByteArray("a%3A%25") << QByteArray("a%3A%25");
        QTest::newRow("tilde is encoded") << "~" << QByteArray("%7E") << QByteArray("%7E");
        QTest::newRow("utf-8") << QString::fromUtf8("é") << QByteArray("%C3%A9")
                               << QByteArray("%C3%A9");
        QTest::newRow("reserved") << "/?&=#" << QByteArray("%2F%3F%26%3D%23")
                                  << QByteArray("%2F%3F%26%3D%23");
    }
    void encodeComponent()
    {
        QFETCH(QString, input);
        QFETCH(QByteArray, plus);
        QFETCH(QByteArray, percent);
        QCOMPARE(FormEncoding::encodeComponent(input, FormEncoding::Space::Plus), plus);
        QCOMPARE(FormEncoding::encodeComponent(input, FormEncoding::Space::Percent), percent);
        QCOMPARE(FormEncoding::decodeComponent(plus), input);
        QCOMPARE(FormEncoding::decodeComponent(percent), input);
    }

    void decode_data()
    {
        QTest::addColumn<QByteArray>("encoded");
        QTest::addColumn<FormFields>("fields");
        QTest::newRow("pairs") << QByteArray("a=1&b=2") << FormFields{{"a", "1"}, {"b", "2"}};
        QTest::newRow("plus as space") << QByteArray("error_description=Invalid+client+id")
                                       << FormFields{{"error_description", "Invalid client id"}};
        QTest::newRow("empty value and bare key")
            << QByteArray("a=&b") << FormFields{{"a", ""}, {"b", ""}};
        QTest::newRow("empty pieces skipped") << QByteArray("&&a=1&") << FormFields{{"a", "1"}};
        QTest::newRow("broken escape kept") << QByteArray("a=%zz%4") << FormFields{{"a", "%zz%4"}};
        QTest::newRow("equals in value") << QByteArray("a=b=c") << FormFields{{"a", "b=c"}};
        QTest::newRow("repeated keys kept")
            << QByteArray("a=1&a=2") << FormFields{{"a", "1"}, {"a", "2"}};
    }
    void decode()
    {
        QFETCH(QByteArray, encoded);
        QFETCH(FormFields, fields);
        QCOMPARE(FormEncoding::decode(encoded), fields);
    }

    void roundTrip()
    {
        const FormFields fields{{"grant_type", "authorization_code"},
                                {"redirect_uri", "http://127.0.0.1:1234/cb?x=1&y=2"},
                                {"weird key=", "v a+l%ue"}};
        QCOMPARE(FormEncoding::decode(FormEncoding::encode(fields)), fields);
    }
};

QTEST_GUILESS_MAIN(TestFormEncoding)
#include "tst_formencoding.moc"
