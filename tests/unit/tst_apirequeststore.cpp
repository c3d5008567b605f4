// The API console's saved requests: kept per profile, replaced by name, in a file only the owner
// reads, and never with a header that carries a credential.
#include "core/storage/ApiRequestStore.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace workbench;

class TestApiRequestStore : public QObject
{
    Q_OBJECT

private slots:
    void requestsAreKeptPerProfileWithoutCredentials()
    {
        QTemporaryDir dir;
        ApiRequestStore store(dir.path());
        QVERIFY(store.requests("Billing").isEmpty()); // no file yet

        ApiRequestStore::Saved saved;
        saved.name = "invoices";
        saved.request.method = "POST";
        saved.request.url = QUrl("https://api.example/invoices?page=2");
        saved.request.headers = {{"Accept", "application/json"},
                                 {"Authorization", "Bearer secret-token"},
                                 {"X-Api-Key", "k-123"},
                                 {"Cookie", "session=abc"},
                                 {"X-Request-Purpose", "audit"}};
        saved.request.body = "{\"n\":1}";
        saved.request.scheme = ApiCaller::Scheme::Dpop;
        QString error;
        QVERIFY2(store.save("Billing", saved, &error), qPrintable(error));

        QFile file(store.filePath());
        QCOMPARE(file.permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther),
                 QFileDevice::Permissions());
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray written = file.readAll();
        for (const char *secret : {"secret-token", "k-123", "session=abc"})
            QVERIFY2(!written.contains(secret), secret);

        const QList<ApiRequestStore::Saved> back = ApiRequestStore(dir.path()).requests("Billing");
        QCOMPARE(back.size(), 1);
        QCOMPARE(back.first().request.method, QByteArray("POST"));
        QCOMPARE(back.first().request.url, saved.request.url);
        QCOMPARE(back.first().request.body, saved.request.body);
        QCOMPARE(back.first().request.scheme, ApiCaller::Scheme::Dpop);
        QCOMPARE(back.first().request.headers.size(), 2);
        QCOMPARE(back.first().request.headers.at(1).first, QByteArray("X-Request-Purpose"));
        QVERIFY(store.requests("Other profile").isEmpty());

        // The same name replaces; delete removes.
        saved.request.method = "GET";
        QVERIFY(store.save("Billing", saved, &error));
        QCOMPARE(store.requests("Billing").size(), 1);
        QCOMPARE(store.requests("Billing").first().request.method, QByteArray("GET"));
        QVERIFY(store.remove("Billing", "invoices", &error));
        QVERIFY(store.requests("Billing").isEmpty());
    }

    void unwritableFolderIsAnError()
    {
        ApiRequestStore store("/proc/no-such-folder");
        QString error;
        QVERIFY(!store.save("p", {"r", {}}, &error));
        QVERIFY(!error.isEmpty());
    }
};

QTEST_MAIN(TestApiRequestStore)
#include "tst_apirequeststore.moc"
