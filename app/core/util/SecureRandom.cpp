#include "core/util/SecureRandom.h"

#include "core/util/Base64Url.h"

#include <QRandomGenerator>

namespace workbench::SecureRandom {

QByteArray bytes(int count)
{
    QByteArray out(count, Qt::Uninitialized);
    auto *generator = QRandomGenerator::system();
    for (int i = 0; i < count; ++i)
        out[i] = static_cast<char>(generator->bounded(256));
    return out;
}

QByteArray urlSafeToken(int count)
{
    return base64Url(bytes(count));
}

} // namespace workbench::SecureRandom
