#include "core/listener/HttpRequestParser.h"

#include <cstring>

namespace workbench {

namespace {
bool isTokenChar(char c)
{
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
        return true;
    return c != 0 && std::strchr("!#$%&'*+-.^_`|~", c) != nullptr;
}

bool isToken(const QByteArray &value)
{
    if (value.isEmpty())
        return false;
    for (const char c : value) {
        if (!isTokenChar(c))
            return false;
    }
    return true;
}

bool hasControlCharacters(const QByteArray &value, bool allowTab)
{
    for (const char c : value) {
        const auto byte = static_cast<unsigned char>(c);
        if ((byte < 0x20 && !(allowTab && byte == '\t')) || byte == 0x7f)
            return true;
    }
    return false;
}
} // namespace

HttpRequestParser::HttpRequestParser() : m_limits(Limits{})
{
}

QByteArray HttpRequestParser::Request::path() const
{
    const qsizetype q = target.indexOf('?');
    return q < 0 ? target : target.left(q);
}

QByteArray HttpRequestParser::Request::query() const
{
    const qsizetype q = target.indexOf('?');
    return q < 0 ? QByteArray() : target.mid(q + 1);
}

HttpRequestParser::Status HttpRequestParser::fail(int status, const QString &reason)
{
    m_errorStatus = status;
    m_errorReason = reason;
    m_status = Status::Failed;
    return m_status;
}

HttpRequestParser::Status HttpRequestParser::feed(const QByteArray &data)
{
    if (m_status != Status::NeedMore)
        return m_status;

    if (m_bodyStart < 0) {
        // Only look for the end of the head in the new bytes plus the three before them.
        const qsizetype searchFrom = qMax<qsizetype>(0, m_buffer.size() - 3);
        m_buffer += data;
        const qsizetype headEnd = m_buffer.indexOf("\r\n\r\n", searchFrom);
        if (!methodCanStill()) {
            // Say so at once rather than wait for a head that never comes.
            m_buffer.truncate(qMin<qsizetype>(m_buffer.size(), m_limits.maxHeaderBytes));
            if (m_buffer.startsWith('\x16'))
                return fail(400, QStringLiteral("This is a TLS handshake, but this server speaks "
                                                "plain HTTP: use http://, not https://."));
            return fail(400, QStringLiteral("This is not an HTTP request."));
        }
        if (headEnd < 0) {
            if (m_buffer.size() > m_limits.maxHeaderBytes) {
                m_buffer.truncate(m_limits.maxHeaderBytes);
                return fail(431, QStringLiteral("The request head is larger than %1 bytes.")
                                     .arg(m_limits.maxHeaderBytes));
            }
            return m_status;
        }
        if (headEnd + 4 > m_limits.maxHeaderBytes) {
            m_buffer.truncate(m_limits.maxHeaderBytes);
            return fail(431, QStringLiteral("The request head is larger than %1 bytes.")
                                 .arg(m_limits.maxHeaderBytes));
        }
        if (parseHead(headEnd) == Status::Failed)
            return m_status;
    } else {
        m_buffer += data;
    }

    const qint64 bodyBytes = m_buffer.size() - m_bodyStart;
    if (bodyBytes > m_contentLength) {
        // HTTP/1.1 pipelining is not something a browser does to a redirect target.
        m_buffer.truncate(m_bodyStart + m_contentLength);
    }
    if (m_buffer.size() - m_bodyStart < m_contentLength)
        return m_status;

    m_request.body = m_buffer.mid(m_bodyStart, m_contentLength);
    m_request.raw = m_buffer;
    m_status = Status::Complete;
    return m_status;
}

bool HttpRequestParser::methodCanStill() const
{
    // The request starts with a method, a token (RFC 9110 §5.6.2) of at most 64 characters here,
    // then a space. Empty lines before it are tolerated (RFC 9112 §2.2).
    qsizetype start = 0;
    while (start < m_buffer.size() && (m_buffer[start] == '\r' || m_buffer[start] == '\n'))
        ++start;
    static const QByteArray tchars = "!#$%&'*+-.^_`|~";
    const qsizetype end = qMin(m_buffer.size(), start + 65);
    for (qsizetype i = start; i < end; ++i) {
        const char c = m_buffer[i];
        if (c == ' ')
            return i > start;
        const bool token = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                           (c >= '0' && c <= '9') || tchars.contains(c);
        if (!token)
            return false;
    }
    return end - start < 65;
}

HttpRequestParser::Status HttpRequestParser::parseHead(qsizetype headEnd)
{
    const QList<QByteArray> lines = m_buffer.left(headEnd).split('\n');
    QList<QByteArray> cleaned;
    for (const QByteArray &line : lines) {
        if (!line.endsWith('\r') && &line != &lines.last())
            return fail(400, QStringLiteral("A line of the request head ends in a bare LF."));
        cleaned << (line.endsWith('\r') ? line.chopped(1) : line);
    }

    const QByteArray &requestLine = cleaned.first();
    const QList<QByteArray> parts = requestLine.split(' ');
    if (parts.size() != 3)
        return fail(400, QStringLiteral("The request line is not \"METHOD target HTTP/1.x\"."));
    m_request.method = parts.at(0);
    m_request.target = parts.at(1);
    m_request.version = parts.at(2);
    if (!isToken(m_request.method))
        return fail(400, QStringLiteral("The request method is not a valid token."));
    if (m_request.target.isEmpty() || m_request.target.at(0) != '/' ||
        hasControlCharacters(m_request.target, false) || m_request.target.contains(' '))
        return fail(400, QStringLiteral("The request target is not an origin-form path."));
    if (m_request.version != "HTTP/1.1" && m_request.version != "HTTP/1.0") {
        if (m_request.version.startsWith("HTTP/"))
            return fail(505, QStringLiteral("Only HTTP/1.0 and HTTP/1.1 are understood."));
        return fail(400, QStringLiteral("The request line has no HTTP version."));
    }

    bool haveLength = false;
    for (qsizetype i = 1; i < cleaned.size(); ++i) {
        const QByteArray &line = cleaned.at(i);
        if (line.startsWith(' ') || line.startsWith('\t'))
            return fail(400, QStringLiteral("Folded header lines are not allowed."));
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            return fail(400, QStringLiteral("Header line %1 has no name.").arg(i));
        const QByteArray name = line.left(colon);
        const QByteArray value = line.mid(colon + 1).trimmed();
        if (!isToken(name))
            return fail(400, QStringLiteral("Header line %1 has an invalid name.").arg(i));
        if (hasControlCharacters(value, true))
            return fail(400, QStringLiteral("Header %1 has control characters in its value.")
                                 .arg(QString::fromLatin1(name)));
        if (name.compare("Transfer-Encoding", Qt::CaseInsensitive) == 0)
            return fail(501, QStringLiteral("Transfer-Encoding is not supported here."));
        if (name.compare("Content-Length", Qt::CaseInsensitive) == 0) {
            bool ok = false;
            const qint64 length = value.toLongLong(&ok);
            if (!ok || length < 0 || value.isEmpty() || value.front() == '+' ||
                value.front() == '-')
                return fail(400, QStringLiteral("Content-Length is not a number."));
            if (haveLength && length != m_contentLength)
                return fail(400, QStringLiteral("Conflicting Content-Length headers."));
            if (length > m_limits.maxBodyBytes)
                return fail(
                    413,
                    QStringLiteral("The body is larger than %1 bytes.").arg(m_limits.maxBodyBytes));
            haveLength = true;
            m_contentLength = length;
        }
        m_request.headers.append({name, value});
    }
    m_bodyStart = headEnd + 4;
    return m_status;
}

} // namespace workbench
