// The corpus of real provider responses (tests/data/explain/<pack>/cases.json), each with the
// public page it was taken from, replayed through the real command line: `explain --json` must
// name the code, the provider and the first cause each case expects. And no pack may claim a
// response of another provider.
#include "core/diagnosis/Diagnoser.h"
#include "core/diagnosis/ProviderIdentifier.h"
#include "core/diagnosis/RawInput.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>

using namespace workbench;

namespace {
struct Case
{
    QString pack;
    QString name;
    QString source;
    QString input; // absolute path
    QStringList options;
    QJsonObject expect;
};

QString dataDir(const char *corpus = "explain")
{
    return QString::fromLocal8Bit(qgetenv("WORKBENCH_TEST_DATA")) + QLatin1Char('/') +
           QLatin1String(corpus);
}

// The cases of every pack folder under the explain corpus, or of the one folder given.
QList<Case> loadCases(QStringList *problems, const QString &folder = {})
{
    QStringList ignored;
    if (!problems)
        problems = &ignored;
    QList<Case> cases;
    const QDir root(folder.isEmpty() ? dataDir() : QFileInfo(folder).path());
    const QStringList packs = folder.isEmpty()
                                  ? root.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)
                                  : QStringList{QFileInfo(folder).fileName()};
    for (const QString &pack : packs) {
        QFile file(root.filePath(pack + QStringLiteral("/cases.json")));
        if (!file.open(QIODevice::ReadOnly)) {
            problems->append(QStringLiteral("%1: no cases.json").arg(pack));
            continue;
        }
        QJsonParseError error{};
        const QJsonObject document = QJsonDocument::fromJson(file.readAll(), &error).object();
        if (error.error != QJsonParseError::NoError)
            problems->append(QStringLiteral("%1: %2").arg(pack, error.errorString()));
        for (const QJsonValue &value : document.value(QLatin1String("cases")).toArray()) {
            const QJsonObject object = value.toObject();
            Case c;
            c.pack = pack;
            c.name = object.value(QLatin1String("name")).toString();
            c.source = object.value(QLatin1String("source")).toString();
            c.input = root.filePath(pack + QLatin1Char('/') +
                                    object.value(QLatin1String("input")).toString());
            for (const QJsonValue &option : object.value(QLatin1String("options")).toArray())
                c.options << option.toString();
            c.expect = object.value(QLatin1String("expect")).toObject();
            cases << c;
        }
    }
    return cases;
}

// What went wrong with one case, or nothing.
QStringList check(const Case &c, const QJsonObject &result)
{
    QStringList wrong;
    auto expectEqual = [&](const char *what, const QString &expected, const QString &actual) {
        if (expected.compare(actual, Qt::CaseInsensitive) != 0)
            wrong << QStringLiteral("%1: expected \"%2\", got \"%3\"")
                         .arg(QLatin1String(what), expected, actual);
    };
    expectEqual("code", c.expect.value(QLatin1String("code")).toString(),
                result.value(QLatin1String("code")).toString());
    const QJsonObject provider = result.value(QLatin1String("provider")).toObject();
    expectEqual("provider", c.expect.value(QLatin1String("provider")).toString(),
                provider.value(QLatin1String("id")).toString());
    if (c.expect.contains(QLatin1String("providerCode")))
        expectEqual("providerCode", c.expect.value(QLatin1String("providerCode")).toString(),
                    provider.value(QLatin1String("code")).toString());
    const QJsonArray causes = result.value(QLatin1String("causes")).toArray();
    QStringList ids;
    for (const QJsonValue &cause : causes)
        ids << cause.toObject().value(QLatin1String("id")).toString() + QLatin1Char(':') +
                   cause.toObject().value(QLatin1String("status")).toString();
    const QString first = causes.isEmpty()
                              ? QString()
                              : causes.first().toObject().value(QLatin1String("id")).toString();
    if (first != c.expect.value(QLatin1String("firstCause")).toString())
        wrong << QStringLiteral("firstCause: expected %1, got [%2]")
                     .arg(c.expect.value(QLatin1String("firstCause")).toString(),
                          ids.join(QStringLiteral(", ")));
    if (c.expect.contains(QLatin1String("entry")))
        expectEqual("entry", c.expect.value(QLatin1String("entry")).toString(),
                    result.value(QLatin1String("entry")).toString());
    if (c.expect.contains(QLatin1String("fixContains"))) {
        QStringList fixes;
        for (const QJsonValue &fix : result.value(QLatin1String("fixes")).toArray())
            fixes << fix.toString();
        const QString words = c.expect.value(QLatin1String("fixContains")).toString();
        if (!fixes.join(QLatin1Char('\n')).contains(words, Qt::CaseInsensitive))
            wrong << QStringLiteral("fixes do not say \"%1\"").arg(words);
    }
    // Nothing from another provider's pack.
    QStringList entries{result.value(QLatin1String("entry")).toString()};
    for (const QJsonValue &related : result.value(QLatin1String("related_entries")).toArray())
        entries << related.toString();
    for (const QString &entry : std::as_const(entries)) {
        const QString pack = entry.section(QLatin1Char('.'), 0, 0);
        if (KnowledgeBase::builtIn().provider(pack) &&
            pack != c.expect.value(QLatin1String("provider")).toString())
            wrong << QStringLiteral("entry %1 of another provider").arg(entry);
    }
    return wrong;
}
} // namespace

class TestExplainCorpus : public QObject
{
    Q_OBJECT

private slots:
    void everyCaseIsWellFormed()
    {
        QStringList problems;
        const QList<Case> cases = loadCases(&problems);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join('\n')));
        QVERIFY2(cases.size() >= 250, qPrintable(QString::number(cases.size())));
        QSet<QString> packs;
        for (const Case &c : cases) {
            packs.insert(c.pack);
            QVERIFY2(c.source.startsWith("https://"), qPrintable(c.pack + ": " + c.name));
            QVERIFY2(QFile::exists(c.input), qPrintable(c.input));
            for (const char *key : {"code", "provider", "firstCause"})
                QVERIFY2(c.expect.contains(QLatin1String(key)),
                         qPrintable(c.pack + ": " + c.name + ": " + key));
        }
        // Every provider pack has its cases, and unknown providers have theirs.
        for (const auto &pack : KnowledgeBase::builtIn().providers()) {
            const bool seed = pack.name.contains(QLatin1String("(seed"));
            QVERIFY2(seed || packs.contains(pack.id), qPrintable(pack.id));
        }
        QVERIFY(packs.contains(QStringLiteral("unknown")));
    }

    // The real command line, on every case.
    void explainNamesCodeProviderAndFirstCause() { replay(loadCases(nullptr)); }

    // Every error the five seed documents print, as they print it: the code, the first cause,
    // and fixes that say what the document recommends.
    void seedDocumentsAreDiagnosedAsTheyDescribe()
    {
        QStringList problems;
        const QList<Case> cases = loadCases(&problems, dataDir("seeds"));
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join('\n')));
        QVERIFY2(cases.size() >= 86, qPrintable(QString::number(cases.size())));
        static const QRegularExpression source(QStringLiteral("^00[0-4]_[0-9a-f]{16}\\.txt § .+"));
        QSet<QString> documents;
        for (const Case &c : cases) {
            QVERIFY2(source.match(c.source).hasMatch(), qPrintable(c.name + ": " + c.source));
            QVERIFY2(c.expect.contains("fixContains"), qPrintable(c.name));
            documents.insert(c.source.left(3));
        }
        QCOMPARE(documents.size(), 5);
        replay(cases);
    }

private:
    void replay(const QList<Case> &cases)
    {
        const QString cli = QString::fromLocal8Bit(qgetenv("WORKBENCH_CLI"));
        QVERIFY2(QFile::exists(cli), "WORKBENCH_CLI must name the command-line program");
        QVERIFY(!cases.isEmpty());
        QStringList failures;
        constexpr int kParallel = 4;
        qsizetype next = 0;
        QList<QPair<QProcess *, const Case *>> running;
        while (next < cases.size() || !running.isEmpty()) {
            while (running.size() < kParallel && next < cases.size()) {
                const Case &c = cases.at(next++);
                auto *process = new QProcess(this);
                process->start(cli,
                               QStringList{"explain", "--json"} + c.options + QStringList{c.input});
                running.append({process, &c});
            }
            auto [process, c] = running.takeFirst();
            process->waitForFinished(60000);
            const QByteArray output = process->readAllStandardOutput();
            QJsonParseError error{};
            const QJsonObject result = QJsonDocument::fromJson(output, &error).object();
            QStringList wrong;
            if (process->exitCode() != 0 || error.error != QJsonParseError::NoError)
                wrong << QStringLiteral("exit %1: %2")
                             .arg(process->exitCode())
                             .arg(QString::fromUtf8(process->readAllStandardError()).trimmed());
            else
                wrong = check(*c, result);
            if (!wrong.isEmpty())
                failures << QStringLiteral("%1 / %2 (%3):\n    %4")
                                .arg(c->pack, c->name, QFileInfo(c->input).fileName(),
                                     wrong.join(QStringLiteral("\n    ")));
            delete process;
        }
        for (const QString &failure : std::as_const(failures))
            qWarning().noquote() << failure; // QVERIFY2's message is cut at 1,000 characters
        QVERIFY2(failures.isEmpty(), qPrintable(QStringLiteral("%1 of %2 cases failed (above)")
                                                    .arg(failures.size())
                                                    .arg(cases.size())));
    }

private slots:
    // From the response alone (without the options that name the issuer or the provider), no
    // pack other than the case's own may claim it.
    void noPackClaimsAnotherProvidersResponse()
    {
        QStringList problems;
        const QList<Case> cases = loadCases(&problems);
        const KnowledgeBase &kb = KnowledgeBase::builtIn();
        QStringList failures;
        for (const Case &c : cases) {
            QFile file(c.input);
            QVERIFY(file.open(QIODevice::ReadOnly));
            const auto exchange = RawInput::parse(file.readAll(), nullptr);
            QVERIFY2(exchange, qPrintable(c.input));
            const ErrorSignal signal = ResponseClassifier::classify(*exchange);
            QStringList text{signal.error, signal.rawError, signal.words()};
            for (const QString &value : signal.extras)
                text << value;
            const Diagnosis::Provider provider =
                ProviderIdentifier::identify(kb, {{},
                                                  exchange->request.url,
                                                  {},
                                                  signal.extras.value("iss"),
                                                  exchange->responseHeaders,
                                                  text.join('\n'),
                                                  {}});
            const QString expected = c.expect.value("provider").toString();
            if (!provider.id.isEmpty() && provider.id != expected)
                failures << QStringLiteral("%1 / %2: claimed by %3 (%4)")
                                .arg(c.pack, c.name, provider.id, provider.via);
        }
        QVERIFY2(failures.isEmpty(), qPrintable(failures.join('\n')));
    }
};

QTEST_GUILESS_MAIN(TestExplainCorpus)
#include "tst_explaincorpus.moc"
