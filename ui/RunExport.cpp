#include "ui/RunExport.h"

#include "core/export/ExchangeExport.h"
#include "core/util/Failure.h"
#include "ui/ExportPaths.h"

#include <QCoreApplication>
#include <QFileDialog>
#include <QMessageBox>
#include <QSaveFile>

namespace workbench::RunExport {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("workbench::MainWindow", text);
}
} // namespace

bool writeHar(const QString &path, const QList<HttpExchange> &exchanges, bool withSecrets,
              QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Failure::report(error, file.errorString());
    file.write(ExchangeExport::har(exchanges, withSecrets ? ExchangeExport::Secrets::Included
                                                          : ExchangeExport::Secrets::Redacted));
    return file.commit() || Failure::report(error, file.errorString());
}

QString askAndWriteHar(QWidget *parent, const RunRecord &run, const QList<HttpExchange> &exchanges,
                       bool withSecrets)
{
    if (withSecrets &&
        QMessageBox::warning(parent, tr("Export with secrets"),
                             tr("The file will hold the client secret, codes and tokens in the "
                                "clear. Export it anyway?"),
                             QMessageBox::Yes | QMessageBox::Cancel) != QMessageBox::Yes)
        return {};
    const QString path = QFileDialog::getSaveFileName(
        parent, tr("Export run as HAR"), ExportPaths::suggest(run.profile, run.startedAt, "har"),
        tr("HAR (*.har *.json)"));
    if (path.isEmpty())
        return {};
    ExportPaths::remember(path);
    QString problem;
    return writeHar(path, exchanges, withSecrets, &problem) ? tr("Saved %1").arg(path)
                                                            : tr("Could not save: %1").arg(problem);
}

} // namespace workbench::RunExport
