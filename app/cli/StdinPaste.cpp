#include "cli/StdinPaste.h"

#include <unistd.h>

namespace workbench::CommandLine {

void StdinPaste::start(std::function<void(const QString &)> handler)
{
    m_handler = std::move(handler);
    m_notifier = std::make_unique<QSocketNotifier>(STDIN_FILENO, QSocketNotifier::Read);
    QObject::connect(m_notifier.get(), &QSocketNotifier::activated, [this] { read(); });
}

void StdinPaste::read()
{
    char buffer[4096];
    const ssize_t got = ::read(STDIN_FILENO, buffer, sizeof buffer);
    if (got <= 0) { // the end of the input: what is left is one last block
        m_notifier->setEnabled(false);
        if (!m_pending.trimmed().isEmpty())
            m_handler(QString::fromUtf8(m_pending));
        m_pending.clear();
        return;
    }
    m_pending.append(buffer, got);
    constexpr qsizetype kMaxPaste = 1024 * 1024;
    if (m_pending.size() > kMaxPaste)
        m_pending = m_pending.right(kMaxPaste);
    qsizetype end;
    while ((end = m_pending.indexOf("\n\n")) >= 0) {
        const QByteArray block = m_pending.left(end);
        m_pending.remove(0, end + 2);
        if (!block.trimmed().isEmpty())
            m_handler(QString::fromUtf8(block));
    }
}

} // namespace workbench::CommandLine
