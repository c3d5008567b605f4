#include "cli/CommandLine.h"
#include "core/storage/LegacyLocations.h"
#include "core/util/AppIdentity.h"

#include <QCoreApplication>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    workbench::setApplicationIdentity();
    workbench::LegacyLocations::moveToCurrent();
    return workbench::CommandLine::run(QCoreApplication::arguments());
}
