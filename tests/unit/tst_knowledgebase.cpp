#include "core/diagnosis/KnowledgeBase.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace workbench;

class TestKnowledgeBase : public QObject
{
    Q_OBJECT

    static QJsonObject catalog()
    {
        return QJsonObject{{"c", QJsonObject{{"text", "because"}, {"says", QJsonArray{"boom"}}}}};
    }
    static QByteArray withEntry(const QJsonObject &entry, const QJsonObject &causes = catalog())
    {
        return QJsonDocument(
                   QJsonObject{{"version", 2}, {"causes", causes}, {"entries", QJsonArray{entry}}})
            .toJson();
    }
    static QJsonObject goodEntry(const QString &id = "x")
    {
        return QJsonObject{
            {"id", id},
            {"match", QJsonObject{{"error", QJsonArray{"invalid_grant"}}}},
            {"category", "grant"},
            {"severity", "error"},
            {"title", "t"},
            {"meaning", "m"},
            {"causes", QJsonArray{"c"}},
            {"fixes", QJsonArray{"do this"}},
            {"references", QJsonArray{QJsonObject{{"title", "RFC"}, {"url", "https://e/"}}}}};
    }
    static QByteArray pack(const QString &id, const QJsonObject &identify,
                           const QJsonArray &entries, const QJsonObject &causes = {})
    {
        return QJsonDocument(
                   QJsonObject{{"version", 2},
                               {"provider", QJsonObject{{"id", id},
                                                        {"name", id.toUpper()},
                                                        {"docs", "https://docs.example/" + id},
                                                        {"identify", identify}}},
                               {"causes", causes},
                               {"entries", entries}})
            .toJson();
    }
    static QJsonObject packEntry(const QString &id, const QJsonObject &match)
    {
        QJsonObject entry = goodEntry(id);
        entry.insert("match", match);
        entry.remove("references");
        return entry;
    }

private slots:
    void builtInLoadsAndIsValid()
    {
        QVERIFY2(KnowledgeBase::builtInLoadErrors().isEmpty(),
                 qPrintable(KnowledgeBase::builtInLoadErrors().join('\n')));
        const KnowledgeBase &kb = KnowledgeBase::builtIn();
        QCOMPARE(kb.version(), 2);
        QVERIFY(kb.entries().size() >= 70);
        // Every entry is complete (the loader checks this; assert it held for each).
        for (const auto &entry : kb.entries()) {
            QVERIFY2(!entry.causes.isEmpty() && !entry.fixes.isEmpty() &&
                         !entry.references.isEmpty(),
                     qPrintable(entry.id));
            for (const auto &reference : entry.references)
                QVERIFY2(reference.url.startsWith("https://"), qPrintable(entry.id));
            for (const auto &ref : entry.causes)
                QVERIFY2(kb.cause(ref.id, entry.pack), qPrintable(entry.id + " " + ref.id));
        }
        // The seed providers are packs of their own, not generic knowledge.
        for (const char *seed : {"bank-gateway", "marketplace", "business-listing", "api-portal"})
            QVERIFY2(kb.provider(QString::fromLatin1(seed)), seed);
    }

    // The causes the flow's own evidence speaks about all exist in the catalog.
    void everyFlowCauseIsInTheCatalog()
    {
        const KnowledgeBase &kb = KnowledgeBase::builtIn();
        for (const char *id : {"redirect_uri_differs",
                               "code_reused",
                               "code_expired",
                               "pkce_verifier_missing",
                               "pkce_mismatch",
                               "pkce_required",
                               "pkce_unexpected_verifier",
                               "basic_not_form_encoded",
                               "basic_header_malformed",
                               "multiple_auth_methods",
                               "client_id_differs",
                               "no_client_auth",
                               "wrong_credentials",
                               "wrong_auth_method",
                               "assertion_invalid",
                               "grant_type_misspelled",
                               "grant_input_mismatch",
                               "grant_not_supported",
                               "missing_parameter",
                               "wants_json",
                               "wants_form",
                               "token_get",
                               "use_ip_literal",
                               "loopback_port",
                               "redirect_unregistered",
                               "pkce_method_plain",
                               "scope_separator",
                               "scope_unknown",
                               "scope_empty",
                               "scope_missing_on_token",
                               "token_missing",
                               "token_expired",
                               "dpop_bound_as_bearer",
                               "token_wrong_kind",
                               "dpop_proof_invalid",
                               "refresh_reused",
                               "client_unknown",
                               "scope_not_allowed"})
            QVERIFY2(kb.cause(QString::fromLatin1(id)), id);
    }

    void acceptsAGoodEntry()
    {
        QStringList errors;
        const KnowledgeBase kb = KnowledgeBase::fromJson(withEntry(goodEntry()), {}, &errors);
        QVERIFY2(errors.isEmpty(), qPrintable(errors.join('\n')));
        QCOMPARE(kb.entries().size(), 1);
        QCOMPARE(kb.cause("c")->text, QStringLiteral("because"));
        QCOMPARE(kb.cause("c")->says.size(), 1);
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
            << "match" << QJsonValue(QJsonObject{{"description", "(unclosed"}}) << "bad pattern";
        QTest::newRow("bad status")
            << "match" << QJsonValue(QJsonObject{{"status", QJsonArray{42}}})
            << "not an HTTP status";
        QTest::newRow("unknown shape")
            << "match" << QJsonValue(QJsonObject{{"shape", QJsonArray{"blob"}}}) << "unknown shape";
        QTest::newRow("provider code in the generic file")
            << "match" << QJsonValue(QJsonObject{{"providerCode", QJsonArray{"X1"}}})
            << "providerCode needs a pack";
        QTest::newRow("bad severity") << "severity" << QJsonValue("fatal") << "severity";
        QTest::newRow("no causes") << "causes" << QJsonValue(QJsonArray{}) << "at least one cause";
        QTest::newRow("cause not in the catalog")
            << "causes" << QJsonValue(QJsonArray{"nowhere"}) << "not in the catalog";
        QTest::newRow("cause without id")
            << "causes" << QJsonValue(QJsonArray{QJsonObject{{"text", "t"}}}) << "without an id";
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
        const KnowledgeBase kb = KnowledgeBase::fromJson(withEntry(entry), {}, &errors);
        QVERIFY(kb.entries().isEmpty());
        QVERIFY2(errors.join('\n').contains(message), qPrintable(errors.join('\n')));
    }

    void rejectsBadCauses()
    {
        QStringList errors;
        const QJsonObject causes{{"c", QJsonObject{{"text", "t"}, {"says", QJsonArray{"(x"}}}},
                                 {"d", QJsonObject{{"fix", "f"}}}};
        QVERIFY(KnowledgeBase::fromJson(withEntry(goodEntry(), causes), {}, &errors)
                    .entries()
                    .isEmpty());
        QVERIFY2(errors.join('\n').contains("bad pattern"), qPrintable(errors.join('\n')));
        QVERIFY2(errors.join('\n').contains("cause \"d\": no text"), qPrintable(errors.join('\n')));
    }

    void rejectsDuplicatesAndGarbage()
    {
        QStringList errors;
        const QByteArray twice =
            QJsonDocument(QJsonObject{{"version", 2},
                                      {"causes", catalog()},
                                      {"entries", QJsonArray{goodEntry(), goodEntry()}}})
                .toJson();
        QVERIFY(KnowledgeBase::fromJson(twice, {}, &errors).entries().isEmpty());
        QVERIFY(errors.join('\n').contains("duplicate id"));
        errors.clear();
        QVERIFY(KnowledgeBase::fromJson("<html>", {}, &errors).entries().isEmpty());
        QVERIFY(errors.join('\n').contains("not a JSON object"));
        errors.clear();
        const QByteArray version1 =
            QJsonDocument(QJsonObject{{"version", 1}, {"entries", QJsonArray{goodEntry()}}})
                .toJson();
        QVERIFY(KnowledgeBase::fromJson(version1, {}, &errors).entries().isEmpty());
        QVERIFY(errors.join('\n').contains("version must be 2"));
    }

    void rejectsBadPacks_data()
    {
        QTest::addColumn<QByteArray>("pack");
        QTest::addColumn<QString>("message");
        const QJsonArray one{packEntry("acme.a", QJsonObject{{"error", QJsonArray{"x"}}})};
        QTest::newRow("id shape") << pack("Acme Corp", {}, one) << "the id must be";
        QTest::newRow("entry not named after the pack")
            << pack("acme", {}, QJsonArray{packEntry("other.a", {{"error", QJsonArray{"x"}}})})
            << "named acme.<name>";
        QTest::newRow("own cause not named after the pack")
            << pack("acme", {}, one, QJsonObject{{"mine", QJsonObject{{"text", "t"}}}})
            << "a pack's own cause is named acme.<name>";
        QTest::newRow("unknown identify key")
            << pack("acme", QJsonObject{{"smell", "x"}}, one) << "unknown identify key";
        QTest::newRow("bad code pattern")
            << pack("acme", QJsonObject{{"codes", "(E"}}, one) << "bad pattern";
        QTest::newRow("provider code without a scheme")
            << pack("acme", {},
                    QJsonArray{packEntry("acme.a", {{"providerCode", QJsonArray{"E1"}}})})
            << "providerCode needs a pack with codes";
    }
    void rejectsBadPacks()
    {
        QFETCH(QByteArray, pack);
        QFETCH(QString, message);
        QStringList errors;
        const KnowledgeBase kb = KnowledgeBase::fromJson(withEntry(goodEntry()), {pack}, &errors);
        QVERIFY(kb.entries().isEmpty());
        QVERIFY2(errors.join('\n').contains(message), qPrintable(errors.join('\n')));
    }

    void aPackOverridesACauseAndKeepsItsScope()
    {
        QStringList errors;
        const QJsonObject generic{{"c", QJsonObject{{"text", "generic words"},
                                                    {"grants", QJsonArray{"authorization_code"}},
                                                    {"says", QJsonArray{"boom"}}}}};
        const QByteArray acme =
            pack("acme", QJsonObject{{"hosts", QJsonArray{"login.acme.example"}}},
                 QJsonArray{packEntry("acme.a", {{"error", QJsonArray{"x"}}})},
                 QJsonObject{{"c", QJsonObject{{"text", "acme words"}}}});
        const KnowledgeBase kb =
            KnowledgeBase::fromJson(withEntry(goodEntry(), generic), {acme}, &errors);
        QVERIFY2(errors.isEmpty(), qPrintable(errors.join('\n')));
        QCOMPARE(kb.cause("c")->text, QStringLiteral("generic words"));
        QCOMPARE(kb.cause("c", "acme")->text, QStringLiteral("acme words"));
        QCOMPARE(kb.cause("c", "acme")->grants, QStringList{"authorization_code"});
        QCOMPARE(kb.cause("c", "acme")->says.size(), 1);
        // A pack's entry without references points at the pack's documentation.
        QCOMPARE(kb.find("acme.a")->references.first().url,
                 QStringLiteral("https://docs.example/acme"));
    }

    // A pack's entries apply only when that provider is the one identified.
    void packEntriesNeedTheirProvider()
    {
        const KnowledgeBase &kb = KnowledgeBase::builtIn();
        KnowledgeBase::Facts facts;
        facts.error = "invalid_client";
        facts.status = 401;
        facts.words = "Client is not active";
        facts.shape = "oauth_error";
        facts.endpoint = "token";
        QList<KnowledgeBase::Scored> matches = kb.matching(facts);
        QVERIFY(!matches.isEmpty());
        for (const auto &scored : matches)
            QVERIFY2(scored.entry->pack.isEmpty(), qPrintable(scored.entry->id));
        QCOMPARE(matches.first().entry->id, QStringLiteral("oauth.invalid_client"));

        facts.provider = "marketplace";
        matches = kb.matching(facts);
        QCOMPARE(matches.first().entry->id, QStringLiteral("marketplace.client_not_active"));
        QVERIFY(matches.first().score > matches.at(1).score);
        for (const auto &scored : matches)
            QVERIFY2(scored.entry->pack.isEmpty() || scored.entry->pack == "marketplace",
                     qPrintable(scored.entry->id));
    }
};

QTEST_GUILESS_MAIN(TestKnowledgeBase)
#include "tst_knowledgebase.moc"
