#include "diagnosis/KnowledgeBase.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace workbench;

class TestKnowledgeBase : public QObject
{
    Q_OBJECT

    static QByteArray withEntry(const QJsonObject &entry)
    {
        return QJsonDocument(QJsonObject{{"version", 1}, {"entries", QJsonArray{entry}}}).toJson();
    }
    static QJsonObject goodEntry()
    {
        return QJsonObject{
            {"id", "x"},
            {"match", QJsonObject{{"error", QJsonArray{"invalid_grant"}}}},
            {"category", "grant"},
            {"severity", "error"},
            {"title", "t"},
            {"meaning", "m"},
            {"causes", QJsonArray{QJsonObject{{"id", "c"}, {"text", "because"}}}},
            {"fixes", QJsonArray{"do this"}},
            {"references", QJsonArray{QJsonObject{{"title", "RFC"}, {"url", "https://e/"}}}}};
    }

private slots:
    void builtInLoadsAndIsValid()
    {
        QVERIFY2(KnowledgeBase::builtInLoadErrors().isEmpty(),
                 qPrintable(KnowledgeBase::builtInLoadErrors().join('\n')));
        const KnowledgeBase &kb = KnowledgeBase::builtIn();
        QCOMPARE(kb.version(), 1);
        QVERIFY(kb.entries().size() >= 70);
        // Every entry is complete (the loader checks this; assert it held for each).
        for (const auto &entry : kb.entries()) {
            QVERIFY2(!entry.causes.isEmpty() && !entry.fixes.isEmpty() &&
                         !entry.references.isEmpty(),
                     qPrintable(entry.id));
            for (const auto &reference : entry.references)
                QVERIFY2(reference.url.startsWith("https://"), qPrintable(entry.id));
        }
    }

    void everyContextCauseHasText()
    {
        const KnowledgeBase &kb = KnowledgeBase::builtIn();
        for (const char *id :
             {"redirect_uri_differs", "code_reused", "code_expired", "pkce_verifier_missing",
              "pkce_mismatch", "basic_not_form_encoded", "multiple_auth_methods",
              "grant_type_misspelled", "grant_input_mismatch", "missing_parameter", "wants_json",
              "token_get", "use_ip_literal", "loopback_port", "error_in_success_status",
              "pkce_method_plain"})
            QVERIFY2(!kb.contextCause(QString::fromLatin1(id)).isEmpty(), id);
    }

    void acceptsAGoodEntry()
    {
        QStringList errors;
        const KnowledgeBase kb = KnowledgeBase::fromJson(withEntry(goodEntry()), &errors);
        QVERIFY2(errors.isEmpty(), qPrintable(errors.join('\n')));
        QCOMPARE(kb.entries().size(), 1);
    }

    void rejectsBadEntries_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QJsonValue>("value");
        QTest::addColumn<QString>("message");
        QTest::newRow("no id") << "id" << QJsonValue("") << "no id";
        QTest::newRow("empty match") << "match" << QJsonValue(QJsonObject{}) << "match is empty";
        QTest::newRow("unknown match key")
            << "match" << QJsonValue(QJsonObject{{"colour", "red"}}) << "unknown match key";
        QTest::newRow("bad regex")
            << "match" << QJsonValue(QJsonObject{{"description", "(unclosed"}})
            << "bad description pattern";
        QTest::newRow("bad status")
            << "match" << QJsonValue(QJsonObject{{"status", QJsonArray{42}}})
            << "not an HTTP status";
        QTest::newRow("unknown shape")
            << "match" << QJsonValue(QJsonObject{{"shape", QJsonArray{"blob"}}}) << "unknown shape";
        QTest::newRow("bad severity") << "severity" << QJsonValue("fatal") << "severity";
        QTest::newRow("no causes") << "causes" << QJsonValue(QJsonArray{}) << "at least one cause";
        QTest::newRow("cause without text")
            << "causes" << QJsonValue(QJsonArray{QJsonObject{{"id", "c"}}})
            << "needs an id and a text";
        QTest::newRow("http reference")
            << "references"
            << QJsonValue(QJsonArray{QJsonObject{{"title", "t"}, {"url", "http://e/"}}})
            << "https URL";
        QTest::newRow("no title") << "title" << QJsonValue("") << "title";
    }
    void rejectsBadEntries()
    {
        QFETCH(QString, key);
        QFETCH(QJsonValue, value);
        QFETCH(QString, message);
        QJsonObject entry = goodEntry();
        entry.insert(key, value);
        QStringList errors;
        const KnowledgeBase kb = KnowledgeBase::fromJson(withEntry(entry), &errors);
        QVERIFY(kb.entries().isEmpty());
        QVERIFY2(errors.join('\n').contains(message), qPrintable(errors.join('\n')));
    }

    void rejectsDuplicatesAndGarbage()
    {
        QStringList errors;
        const QByteArray twice =
            QJsonDocument(
                QJsonObject{{"version", 1}, {"entries", QJsonArray{goodEntry(), goodEntry()}}})
                .toJson();
        QVERIFY(KnowledgeBase::fromJson(twice, &errors).entries().isEmpty());
        QVERIFY(errors.join('\n').contains("duplicate id"));
        errors.clear();
        QVERIFY(KnowledgeBase::fromJson("<html>", &errors).entries().isEmpty());
        QVERIFY(errors.join('\n').contains("not a JSON object"));
    }

    void moreSpecificEntriesWin()
    {
        const KnowledgeBase &kb = KnowledgeBase::builtIn();
        KnowledgeBase::Facts facts;
        facts.error = "invalid_client";
        facts.status = 401;
        facts.description = "Client is not active";
        facts.shape = "oauth_error";
        const auto matches = kb.matching(facts);
        QVERIFY(matches.size() >= 2);
        QCOMPARE(matches.first().entry->id,
                 QStringLiteral("provider.marketplace.client_not_active"));
        QVERIFY(matches.first().score > matches.at(1).score);
    }
};

QTEST_GUILESS_MAIN(TestKnowledgeBase)
#include "tst_knowledgebase.moc"
