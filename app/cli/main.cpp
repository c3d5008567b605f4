#include "cli/CommandLine.h"
#include "core/util/AppIdentity.h"

#include <QCoreApplication>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    workbench::setApplicationIdentity();
    return workbench::CommandLine::run(QCoreApplication::arguments());
}
