#pragma once

#include "core/http/HttpExchange.h"
#include "core/jose/Jwe.h"
#include "core/tokens/IdTokenValidator.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace workbench {

// The texts the results pane shows for one step, built from the run without touching a widget,
// so that a large step can be prepared on a worker thread.
struct StepTexts
{
    QString tokensHtml; // empty when the step holds no token
    // The successful back-channel answer the tokens came in (or a JARM callback's `response`).
    QJsonObject tokenBody;
    QString request;
    QString response;
    QString formatted;

    // `maskSecrets` (Redaction::inReplacementOrder), when given: each of these secrets of the
    // run (tokens, codes, verifiers, client credentials) shows as "MASKED:" and a short hash;
    // the tokens are still decoded from the real values. Null: shown as they are.
    // `key`, the run's decryption key, opens encrypted tokens to show what is inside.
    static StepTexts prepare(const QList<HttpExchange> &run, int row,
                             const QHash<QString, QList<TokenCheck>> &idTokenChecks,
                             const QList<QByteArray> *maskSecrets = nullptr,
                             const DecryptionKey &key = {});
    // One of the three texts of a step, as it is (what Copy takes while the screen is masked):
    // 0 the request, 1 the response, 2 the formatted body or parameters.
    static QString text(const HttpExchange &exchange, int which);
    // Whether preparing this step takes long enough to stall the GUI thread: a big body.
    static bool isLarge(const HttpExchange &exchange);
};

} // namespace workbench
