#pragma once

#include "core/http/HttpExchange.h"

namespace workbench {

// An incremental, deliberately strict HTTP/1.x request parser for the loopback listener.
// It never buffers more than its limits allow, so garbage or a hostile client cannot grow it.
class HttpRequestParser
{
public:
    struct Limits
    {
        int maxHeaderBytes = 16 * 1024;
        qint64 maxBodyBytes = 1024 * 1024;
    };
    enum class Status { NeedMore, Complete, Failed };

    struct Request
    {
        QByteArray method;
        QByteArray target;
        QByteArray version;
        HttpHeaders headers;
        QByteArray body;
        QByteArray raw;

        QByteArray header(const QByteArray &name) const { return headerValue(headers, name); }
        QByteArray path() const;
        QByteArray query() const;
    };

    HttpRequestParser();
    explicit HttpRequestParser(Limits limits) : m_limits(limits) {}

    Status feed(const QByteArray &data);
    Status status() const { return m_status; }
    const Request &request() const { return m_request; }
    // Bytes received so far, complete or not (kept up to the limits, for display).
    const QByteArray &received() const { return m_buffer; }
    // On failure: the HTTP status to answer with and why.
    int errorStatus() const { return m_errorStatus; }
    const QString &errorReason() const { return m_errorReason; }

private:
    Status fail(int status, const QString &reason);
    Status parseHead(qsizetype headEnd);
    // False once the bytes so far cannot start a request line (not a method token).
    bool methodCanStill() const;

    Limits m_limits;
    Status m_status = Status::NeedMore;
    QByteArray m_buffer;
    qsizetype m_bodyStart = -1;
    qint64 m_contentLength = 0;
    Request m_request;
    int m_errorStatus = 0;
    QString m_errorReason;
};

} // namespace workbench
