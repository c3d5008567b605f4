#pragma once

#include "core/http/HttpExchange.h"

#include <QJsonArray>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

namespace workbench::AuthorizationDetails {

// Rich authorization requests (RFC 9396): the authorization_details parameter, a JSON array of
// objects, each with a "type" the server knows, and the common fields locations, actions,
// datatypes, identifier and privileges (§2.2).

// What is wrong with `json` as an authorization_details value; empty when it can be sent.
QStringList problems(const QString &json);
// The array `json` holds (empty when it is not one).
QJsonArray parse(const QString &json);
// The array as it goes on the wire: compact JSON; anything else trimmed, as typed (so blank
// gives empty: nothing to send).
QString compact(const QString &json);

// Examples to start from (§2 and appendix A of RFC 9396): payment initiation, account
// information, and a generic one with only the common fields.
struct Template
{
    QString name;
    QString json; // indented
};
QList<Template> templates();

// What the server granted (in the token response or introspection, §7 and §9) against what was
// asked, matched by type. `grantedAsAsked` when each asked object came back unchanged and
// nothing else came back; otherwise one line per difference ("payment_initiation: actions asked
// [...], granted [...]", "... not granted", "... granted without being asked").
struct Comparison
{
    bool grantedAsAsked = false;
    QStringList differences;
};
Comparison compare(const QJsonArray &asked, const QJsonValue &granted);

// What the run asked for up to run[row]: authorization_details on that request or the nearest
// one before it (a pushed request, the authorization request, a request object's claim).
QJsonArray askedIn(const QList<HttpExchange> &run, qsizetype row);
// True when that request sent its parameters in a request object encrypted to the server: what
// it asked cannot be read from the run, so nothing can be compared with it.
bool askedOutOfSight(const QList<HttpExchange> &run, qsizetype row);

} // namespace workbench::AuthorizationDetails
