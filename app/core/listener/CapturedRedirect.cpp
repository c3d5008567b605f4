#include "core/listener/CapturedRedirect.h"

#include "core/jose/Jwt.h"
#include "core/util/Clock.h"

#include <QSet>

namespace workbench {

QString CapturedRedirect::modeName(ResponseMode mode)
{
    switch (mode) {
    case ResponseMode::Query:
        return QStringLiteral("query");
    case ResponseMode::FormPost:
        return QStringLiteral("form_post");
    case ResponseMode::Fragment:
        return QStringLiteral("fragment");
    }
    return {};
}

FormFields CapturedRedirect::parametersOf(const HttpExchange &callback, const DecryptionKey &key)
{
    const FormFields fields = wireParametersOf(callback);
    if (const auto jarm = jwtResponse(fields, key); jarm && !jarm->parameters.isEmpty())
        return jarm->parameters;
    return fields;
}

FormFields CapturedRedirect::wireParametersOf(const HttpExchange &callback)
{
    // form_post carries them in the body; a POST with an empty body (some providers document
    // "POST {redirect_uri}?error=...") in the query, like a GET.
    FormFields fields = callback.request.method == "POST" && !callback.request.body.isEmpty()
                            ? FormEncoding::decode(callback.request.body)
                            : FormEncoding::queryOf(callback.request.url);
    if (fields.size() == 1 && fields.first().first == QLatin1String("fragment"))
        fields = FormEncoding::decode(fields.first().second.toUtf8());
    return fields;
}

std::optional<CapturedRedirect::JwtResponse>
CapturedRedirect::jwtResponse(const FormFields &received, const DecryptionKey &key)
{
    if (!FormEncoding::contains(received, QStringLiteral("response")))
        return std::nullopt;
    for (const char *plain : {"code", "state", "error", "access_token", "id_token"}) {
        if (FormEncoding::contains(received, QString::fromLatin1(plain)))
            return std::nullopt; // a plain response that happens to have a `response` too
    }
    JwtResponse jarm;
    jarm.jwt = FormEncoding::value(received, QStringLiteral("response")).toUtf8();
    // Opened only to read the parameters; the flow's checks open it again and say why not.
    const QByteArray jws = Jwe::signedInside(jarm.jwt, key);
    QString error;
    if (const auto decoded = Jwt::decode(jws, &error)) {
        for (auto claim = decoded->claims.constBegin(); claim != decoded->claims.constEnd();
             ++claim)
            jarm.parameters.append({claim.key(), Jwt::compactText(claim.value())});
    }
    return jarm;
}

CapturedRedirect CapturedRedirect::fromParameters(const FormFields &received,
                                                  const DecryptionKey &key)
{
    CapturedRedirect redirect;
    redirect.parameters = received;
    if (const auto jarm = jwtResponse(received, key)) {
        redirect.responseJwt = jarm->jwt;
        if (!jarm->parameters.isEmpty())
            redirect.parameters = jarm->parameters;
    }
    return redirect;
}

CapturedRedirect::StateCheck CapturedRedirect::checkState(const FormFields &parameters,
                                                          const QByteArray &expected)
{
    if (expected.isEmpty())
        return StateCheck::NotChecked;
    if (!FormEncoding::contains(parameters, QStringLiteral("state")))
        return StateCheck::Missing;
    const QByteArray received = FormEncoding::value(parameters, QStringLiteral("state")).toUtf8();
    // Compare without an early exit so the time taken says nothing about the value.
    bool same = received.size() == expected.size();
    unsigned char diff = 0;
    for (qsizetype i = 0; same && i < received.size(); ++i)
        diff |= static_cast<unsigned char>(received.at(i) ^ expected.at(i));
    return same && diff == 0 ? StateCheck::Matched : StateCheck::Mismatched;
}

QString CapturedRedirect::repeatedParameter(const FormFields &parameters)
{
    QSet<QString> seen;
    for (const auto &[name, value] : parameters) {
        if (seen.contains(name))
            return name;
        seen.insert(name);
    }
    return {};
}

QString CapturedRedirect::refusalReason() const
{
    if (const QString repeated = repeatedParameter(parameters); !repeated.isEmpty())
        return QStringLiteral("the parameter \"%1\" appears more than once").arg(repeated);
    if (!stateAccepted() && !responseJwt.isEmpty() && has(QStringLiteral("response")))
        return QStringLiteral("its JWT response could not be read (%1), so its state cannot be "
                              "checked")
            .arg(Jwt::kindOf(responseJwt) == Jwt::Kind::Jwe
                     ? QStringLiteral("it is encrypted, and the client's decryption key does not "
                                      "open it")
                     : QStringLiteral("not a JWS"));
    if (!stateAccepted())
        return stateCheckDescription(stateCheck);
    return {};
}

QString CapturedRedirect::stateCheckDescription(StateCheck check)
{
    switch (check) {
    case StateCheck::Matched:
        return QStringLiteral("state matches the value this app sent");
    case StateCheck::Mismatched:
        return QStringLiteral("state does NOT match the value this app sent: this response may "
                              "belong to another request, or be forged (CSRF)");
    case StateCheck::Missing:
        return QStringLiteral("state is missing although this app sent one: the server dropped "
                              "it, or the response did not come from this request");
    case StateCheck::NotChecked:
        return QStringLiteral("state was not checked (none was sent)");
    }
    return {};
}

HttpExchange CapturedRedirect::nothingArrived(const QString &label, const QUrl &uri,
                                              const QDateTime &waitStartedAt, int limitSeconds)
{
    HttpExchange wait;
    wait.kind = HttpExchange::Kind::LoopbackCallback;
    wait.label = label;
    wait.request.method = "GET";
    wait.request.url = uri;
    wait.startedAt = waitStartedAt;
    wait.elapsedMs = waitStartedAt.msecsTo(Clock::utcNow());
    wait.transport = HttpExchange::Transport::Timeout;
    wait.networkError = QStringLiteral("No request arrived on %1 within %2 s.")
                            .arg(uri.toString())
                            .arg(limitSeconds);
    return wait;
}

} // namespace workbench
