#pragma once

#include <QObject>
#include <QSocketNotifier>
#include <functional>
#include <memory>

namespace workbench::CommandLine {

// Reads what the person pastes on standard input while a flow waits: each block of lines ended
// by an empty line (or by the end of the input) goes to the handler. Nothing is read before
// start(); an input that ends at once (a script's /dev/null) is simply done.
class StdinPaste
{
public:
    void start(std::function<void(const QString &)> handler);

private:
    void read();
    std::function<void(const QString &)> m_handler;
    std::unique_ptr<QSocketNotifier> m_notifier;
    QByteArray m_pending;
};

} // namespace workbench::CommandLine
