// JsonTreeModel: JSON as a tree for the claims view, checked with Qt's model tester.
#include "ui/results/JsonTreeModel.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace workbench;

class TestJsonTreeModel : public QObject
{
    Q_OBJECT

private slots:
    void buildsTheTree()
    {
        JsonTreeModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        const QJsonObject claims{{"sub", "alice"},
                                 {"exp", 1800000000},
                                 {"amr", QJsonArray{"pwd", "otp"}},
                                 {"cnf", QJsonObject{{"jkt", "abc"}}},
                                 {"email_verified", true},
                                 {"note", QJsonValue::Null}};
        model.setRoots(
            {{"id_token header", QJsonObject{{"alg", "RS256"}}}, {"id_token claims", claims}});
        QCOMPARE(model.rowCount(), 2);
        const QModelIndex claimsRoot = model.index(1, 0);
        QCOMPARE(claimsRoot.data().toString(), QStringLiteral("id_token claims"));
        QCOMPARE(model.index(1, 1).data().toString(), QStringLiteral("{6 members}"));
        QCOMPARE(model.rowCount(claimsRoot), 6);

        QHash<QString, QModelIndex> byName;
        for (int row = 0; row < model.rowCount(claimsRoot); ++row)
            byName.insert(model.index(row, 0, claimsRoot).data().toString(),
                          model.index(row, 0, claimsRoot));
        const auto valueOf = [&](const QString &name) {
            return byName.value(name).siblingAtColumn(1).data().toString();
        };
        QCOMPARE(valueOf("sub"), QStringLiteral("alice"));
        QVERIFY2(valueOf("exp").startsWith("1800000000 (2027-01-15 08:00:00 UTC"),
                 qPrintable(valueOf("exp")));
        QCOMPARE(valueOf("amr"), QStringLiteral("[2 items]"));
        QCOMPARE(valueOf("email_verified"), QStringLiteral("true"));
        QCOMPARE(valueOf("note"), QStringLiteral("null"));
        const QModelIndex amr = byName.value("amr");
        QCOMPARE(model.rowCount(amr), 2);
        QCOMPARE(model.index(1, 1, amr).data().toString(), QStringLiteral("otp"));
        QCOMPARE(model.parent(model.index(1, 0, amr)), amr);
        const QModelIndex cnf = byName.value("cnf");
        QCOMPARE(model.index(0, 0, cnf).data().toString(), QStringLiteral("jkt"));

        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }
};

QTEST_MAIN(TestJsonTreeModel)
#include "tst_jsontreemodel.moc"
