#include "core/session/RunSession.h"

#include "core/client/DpopKey.h"
#include "core/diagnosis/Diagnoser.h"

#include "core/discovery/ProviderDiscovery.h"
#include "core/flows/TokenGrantFlow.h"
#include "core/http/DpopProver.h"
#include "core/http/ExchangeClient.h"
#include "core/sandbox/SandboxAddress.h"
#include "core/sandbox/SandboxProvider.h"
#include "core/sandbox/SandboxTriggers.h"
#include "core/tokens/TokenBinding.h"
#include "core/util/BackgroundWork.h"
#include "core/util/Clock.h"
#include "core/util/FormEncoding.h"

#include <algorithm>

namespace workbench {

RunSession::RunSession(QObject *parent)
    : QObject(parent), m_client(new ExchangeClient(this)),
      m_codeFlow(new AuthorizationCodeFlow(m_client, this)),
      m_grantFlow(new TokenGrantFlow(m_client, this)),
      m_deviceFlow(new DeviceAuthorizationFlow(m_client, this)),
      m_discovery(new ProviderDiscovery(m_client, this)),
      m_actions(new TokenActions(m_client, m_codeFlow->idTokenVerifier(), this)),
      m_api(new ApiCaller(m_client, m_actions, this)), m_prober(new ServerProbe(m_client, this)),
      m_registration(new ClientRegistration(m_client, this)), m_logout(new RpInitiatedLogout(this))
{
    m_historyWriter.setMaxThreadCount(1);
    // The decoupled grants' ID tokens are checked as the code flow's are, with its JWKS cache.
    m_deviceFlow->setIdTokenVerifier(m_codeFlow->idTokenVerifier());

    connect(m_codeFlow, &AuthorizationCodeFlow::exchangeRecorded, this, &RunSession::keep);
    connect(m_grantFlow, &TokenGrantFlow::exchangeRecorded, this, &RunSession::keep);
    connect(m_deviceFlow, &DeviceAuthorizationFlow::exchangeRecorded, this, &RunSession::keep);
    connect(m_actions, &TokenActions::exchangeRecorded, this, &RunSession::keep);
    connect(m_api, &ApiCaller::exchangeRecorded, this, &RunSession::keep);
    connect(m_logout, &RpInitiatedLogout::exchangeRecorded, this, &RunSession::keep);
    connect(m_logout, &RpInitiatedLogout::warningRaised, this, &RunSession::warningRaised);
    connect(m_logout, &RpInitiatedLogout::requestRejected, this, &RunSession::requestRejected);
    connect(m_logout, &RpInitiatedLogout::logoutUrlReady, this, &RunSession::logoutUrlReady);
    connect(m_logout, &RpInitiatedLogout::waitProgressed, this, &RunSession::waitProgressed);
    connect(m_logout, &RpInitiatedLogout::finished, this,
            [this](const RpInitiatedLogout::Outcome &outcome) {
                followUpEnded(outcome.succeeded(), outcome.summary);
                emit logoutFinished(outcome);
            });
    // Discovery is shown, but is not a step of the run.
    connect(m_discovery, &ProviderDiscovery::exchangeRecorded, this, &RunSession::exchangeRecorded);
    connect(m_registration, &ClientRegistration::exchangeRecorded, this,
            &RunSession::exchangeRecorded);

    connect(m_codeFlow, &AuthorizationCodeFlow::warningRaised, this, &RunSession::warningRaised);
    connect(m_grantFlow, &TokenGrantFlow::warningRaised, this, &RunSession::warningRaised);
    connect(m_deviceFlow, &DeviceAuthorizationFlow::warningRaised, this,
            &RunSession::warningRaised);
    connect(m_codeFlow, &AuthorizationCodeFlow::requestRejected, this,
            &RunSession::requestRejected);
    connect(m_codeFlow, &AuthorizationCodeFlow::authorizationUrlReady, this,
            &RunSession::authorizationUrlReady);
    connect(m_codeFlow, &AuthorizationCodeFlow::waitProgressed, this, &RunSession::waitProgressed);
    connect(m_codeFlow, &AuthorizationCodeFlow::stageChanged, this, &RunSession::stageChanged);
    connect(m_deviceFlow, &DeviceAuthorizationFlow::userCodeReady, this,
            &RunSession::userCodeReady);
    connect(m_deviceFlow, &DeviceAuthorizationFlow::backchannelAccepted, this,
            &RunSession::backchannelAccepted);
    connect(m_deviceFlow, &DeviceAuthorizationFlow::pollAnswered, this, &RunSession::pollAnswered);

    connect(m_codeFlow, &AuthorizationCodeFlow::finished, this,
            [this](const FlowOutcome &outcome) { onFinished(outcome, m_codeFlow->config()); });
    connect(m_grantFlow, &TokenGrantFlow::finished, this,
            [this](const FlowOutcome &outcome) { onFinished(outcome, m_grantFlow->config()); });
    connect(m_deviceFlow, &DeviceAuthorizationFlow::finished, this,
            [this](const FlowOutcome &outcome) { onFinished(outcome, m_deviceFlow->config()); });
    // Follow-up steps join the run they follow, in the history too.
    connect(m_actions, &TokenActions::finished, this, [this](const TokenActions::Outcome &outcome) {
        followUpEnded(outcome.succeeded, outcome.summary);
    });
    connect(m_api, &ApiCaller::finished, this, [this](const ApiCaller::Outcome &outcome) {
        followUpEnded(outcome.succeeded, outcome.summary);
    });

    connect(m_discovery, &ProviderDiscovery::discovered, this,
            [this](const ProviderMetadata &metadata, const QStringList &warnings) {
                m_metadata = metadata;
                emit discovered(metadata, warnings);
            });
    connect(m_discovery, &ProviderDiscovery::failed, this, &RunSession::discoveryFailed);
}

RunSession::~RunSession()
{
    m_historyWriter.waitForDone();
}

void RunSession::setHistory(std::unique_ptr<RunHistory> history)
{
    m_historyWriter.waitForDone();
    m_history = std::move(history);
}

bool RunSession::isRunning() const
{
    return m_codeFlow->isRunning() || m_grantFlow->isRunning() || m_deviceFlow->isRunning();
}

bool RunSession::start(const ClientConfig &given, const QString &profile)
{
    if (isRunning())
        return false;
    m_logout->cancel();
    if (m_prober->isRunning()) { // it holds the HTTP client's settings until it ends
        emit finished({FlowOutcome::Result::InvalidConfiguration,
                       tr("A probe of the server is under way."),
                       {tr("Stop the probes, or let them end, to start a run.")}});
        return false;
    }
    forgetRun();
    ClientConfig config = given;
    if (DpopKey::ensure(&config))
        emit dpopKeyMade(config.dpopKeyPem, config.dpopAlgorithm);
    if (const QStringList problems = config.validate(); !problems.isEmpty()) {
        emit finished(FlowOutcome::invalidConfiguration(problems));
        return false;
    }
    if (QString tlsProblem; !applyConnectionSettings(config, &tlsProblem)) {
        emit finished({FlowOutcome::Result::InvalidConfiguration,
                       tr("The TLS settings cannot be used."),
                       {tlsProblem}});
        return false;
    }
    m_record.startedAt = Clock::utcNow();
    m_record.id = RunHistory::newId(m_record.startedAt);
    m_record.profile = !profile.isEmpty()    ? profile
                       : usesSandbox(config) ? tr("Sandbox")
                                             : tr("(no profile)");
    m_record.grant = grantTypeName(config.grant);
    m_recording = true;
    m_hints = hintsFor(config);
    emit started(config, m_hints);
    if (usesBrowser(config.grant))
        return m_codeFlow->start(config);
    if (isDecoupled(config.grant))
        return m_deviceFlow->start(config);
    return m_grantFlow->start(config);
}

bool RunSession::resume(const ClientConfig &given, const TokenSet &tokens, RunRecord run,
                        const QString &profile, QString *error)
{
    if (isRunning()) {
        *error = tr("A flow is still running.");
        return false;
    }
    forgetRun();
    ClientConfig config = given;
    if (DpopKey::ensure(&config))
        emit dpopKeyMade(config.dpopKeyPem, config.dpopAlgorithm);
    if (QString tlsProblem; !applyConnectionSettings(config, &tlsProblem)) {
        *error = tr("The TLS settings cannot be used: %1").arg(tlsProblem);
        return false;
    }
    m_followUpsOnly = run.id.isEmpty();
    if (m_followUpsOnly) {
        run.startedAt = Clock::utcNow();
        run.id = RunHistory::newId(run.startedAt);
        run.profile = profile.isEmpty() ? tr("(no profile)") : profile;
        run.grant = QStringLiteral("follow-up"); // no grant: actions on tokens given
    }
    m_record = std::move(run);
    m_recording = true;
    m_hints = hintsFor(config);
    m_actions->setSession(config, tokens);
    emit started(config, m_hints);
    return true;
}

DiagnosisHints RunSession::hintsFor(const ClientConfig &config) const
{
    // The diagnosis knows the profile's provider and issuer, and the discovered metadata...
    DiagnosisHints hints;
    hints.provider = config.provider;
    hints.issuer = config.issuer;
    hints.decryptionKey = config.decryptionKey(); // an error inside an encrypted JARM response
    if (m_metadata && !config.issuer.isEmpty() &&
        QUrl(m_metadata->issuer).matches(config.issuer, QUrl::StripTrailingSlash))
        hints.metadata = m_metadata;
    // ...and what the profile's last successful run sent, to point at what changed since.
    if (!m_history)
        return hints;
    if (const auto last = m_history->lastSuccess(m_record.profile)) {
        for (const HttpExchange &exchange : last->exchanges) {
            const FormFields sent = FormEncoding::decode(exchange.request.body);
            if (exchange.status == 200 &&
                FormEncoding::contains(sent, QStringLiteral("grant_type"))) {
                hints.lastSuccessfulTokenRequest = sent;
                hints.lastSuccessAt = last->startedAt;
            }
        }
    }
    return hints;
}

void RunSession::cancel()
{
    m_codeFlow->cancel();
    m_grantFlow->cancel();
    m_deviceFlow->cancel();
}

bool RunSession::submitBrowserPage(const QString &pasted, QString *error)
{
    return m_codeFlow->submitBrowserPage(pasted, error);
}

bool RunSession::acceptsBrowserPage() const
{
    return m_codeFlow->acceptsBrowserPage();
}

bool RunSession::discover(const QUrl &issuer, const ClientConfig &connection, QString *error)
{
    if (isRunning()) {
        if (error)
            *error = tr("A run is under way.");
        return false;
    }
    if (QString tlsProblem; !applyConnectionSettings(connection, &tlsProblem)) {
        if (error)
            *error = tlsProblem;
        return false;
    }
    m_discovery->discover(issuer);
    return true;
}

ClientRegistration *RunSession::registrar(const ClientConfig &connection, QString *error)
{
    if (isRunning() || m_prober->isRunning()) {
        if (error)
            *error = tr("A run or a probe is under way.");
        return nullptr;
    }
    if (!applyConnectionSettings(connection, error))
        return nullptr;
    return m_registration;
}

bool RunSession::logout(const ClientConfig &config, QString *error)
{
    if (isRunning()) {
        *error = tr("A flow is still running.");
        return false;
    }
    return m_logout->start(config, m_actions->tokens().idToken, error);
}

void RunSession::forgetRun()
{
    m_record = {};
    m_recording = false;
    m_followUpsOnly = false;
    m_hints = {};
    m_actions->clear();
}

void RunSession::keep(const HttpExchange &exchange)
{
    if (m_recording)
        m_record.exchanges << exchange;
    emit exchangeRecorded(exchange);
}

void RunSession::onFinished(const FlowOutcome &finishedOutcome, const ClientConfig &config)
{
    FlowOutcome outcome = finishedOutcome;
    // Tokens for a client that proved a DPoP key must be bound to it (RFC 9449 §5).
    if (config.useDpop && outcome.tokenResponse.value(QLatin1String("access_token")).isString())
        outcome.bindingChecks =
            TokenBinding::dpopChecks(outcome.tokenResponse, DpopKey::thumbprint(config));
    for (const TokenCheck &check : std::as_const(outcome.bindingChecks)) {
        if (check.status == TokenCheck::Status::Failed && outcome.succeeded()) {
            outcome.result = FlowOutcome::Result::TokenNotBound;
            outcome.summary = tr("Tokens arrived, but they are not bound to the DPoP key.");
            outcome.details.prepend(check.detail + QLatin1Char(' ') + check.fix);
        }
    }
    // The tokens stay usable for the follow-up actions, even when the ID token failed: the
    // person may want to introspect or revoke them.
    if (outcome.tokenResponse.value(QLatin1String("access_token")).isString() &&
        (outcome.succeeded() || outcome.result == FlowOutcome::Result::IdTokenRejected ||
         outcome.result == FlowOutcome::Result::TokenNotBound))
        m_actions->setSession(
            config, TokenSet::fromResponse(outcome.tokenResponse, outcome.tokensReceivedAt));
    m_record.result = FlowOutcome::resultName(outcome.result);
    m_record.summary = outcome.summary;
    emit finished(outcome);
    save();
}

void RunSession::followUpEnded(bool succeeded, const QString &summary)
{
    if (m_followUpsOnly) { // a run of follow-ups only: the last one makes its outcome
        m_record.result = FlowOutcome::resultName(
            succeeded ? FlowOutcome::Result::Succeeded : FlowOutcome::Result::TokenErrorResponse);
        m_record.summary = summary;
    }
    save();
}

void RunSession::save()
{
    if (!m_history || m_record.id.isEmpty())
        return;
    // Redacting and writing a run with big bodies takes a while: the writer thread does it.
    BackgroundWork::run(
        m_historyWriter, this,
        [run = m_record, history = *m_history, hints = m_hints]() mutable {
            // What the run showed, from the values before redaction: a saved run shows the same.
            const Diagnoser diagnoser;
            run.diagnoses.clear();
            for (qsizetype row = 0; row < run.exchanges.size(); ++row)
                run.diagnoses << diagnoser.diagnose(run.exchanges, row, hints);
            QString problem;
            return history.save(run, &problem) ? QString() : problem;
        },
        [this](const QString &problem) {
            if (!problem.isEmpty())
                emit saveFailed(problem);
        });
}

void RunSession::waitForSaved()
{
    m_historyWriter.waitForDone();
}

bool RunSession::applyConnectionSettings(const ClientConfig &config, QString *error)
{
    m_client->setTimeoutMs(config.timeoutSeconds * 1000);
    // The same key keeps its prover, and so the nonces the servers gave (RFC 9449 §8).
    if (!config.useDpop) {
        m_client->setDpop(nullptr);
    } else if (!m_client->dpop() || m_dpopKeyPem != config.dpopKeyPem) {
        m_client->setDpop(std::make_shared<DpopProver>(DpopKey::of(config)));
        m_dpopKeyPem = config.dpopKeyPem;
    }
    return m_client->setTlsOptions(config.tls, error);
}

bool RunSession::probe(const ClientConfig &config, const ProbePlan &plan,
                       const ServerProbe::Options &options, QString *error)
{
    if (isRunning() || m_prober->isRunning()) {
        *error = QStringLiteral("Wait until the run under way has ended");
        return false;
    }
    if (!applyConnectionSettings(config, error))
        return false;
    return m_prober->start(config, plan, options, error);
}

SandboxProvider *RunSession::startSandbox(QString *error)
{
    if (!m_sandbox)
        m_sandbox = new SandboxProvider(this);
    if (!m_sandbox->start()) {
        if (error)
            *error = m_sandbox->errorString();
        return nullptr;
    }
    return m_sandbox;
}

ClientConfig RunSession::storable(const ClientConfig &config) const
{
    if (!m_sandbox || !m_sandbox->isRunning())
        return config;
    return SandboxAddress::rebased(config, m_sandbox->issuer(), SandboxAddress::kPlaceholderOrigin);
}

ClientConfig RunSession::resolved(const ClientConfig &config, QString *error)
{
    if (!SandboxAddress::usesPlaceholder(config))
        return config;
    const SandboxProvider *sandbox = startSandbox(error);
    if (!sandbox)
        return config;
    return SandboxAddress::rebased(config, SandboxAddress::kPlaceholderOrigin, sandbox->issuer());
}

bool RunSession::usesSandbox(const ClientConfig &config) const
{
    if (!m_sandbox || !m_sandbox->isRunning())
        return false;
    // The endpoint the grant starts at; a token endpoint an error trigger asks for counts too.
    const QString issuer = m_sandbox->issuer();
    const QUrl first = usesBrowser(config.grant)               ? config.authorizationEndpoint
                       : config.grant == GrantType::DeviceCode ? config.deviceAuthorizationEndpoint
                       : config.grant == GrantType::Ciba ? config.backchannelAuthenticationEndpoint
                                                         : config.tokenEndpoint;
    if (first.toString().startsWith(issuer))
        return true;
    const QList<SandboxTrigger> &triggers = SandboxTriggers::all();
    return !usesBrowser(config.grant) &&
           std::any_of(triggers.begin(), triggers.end(), [&](const SandboxTrigger &trigger) {
               return !trigger.isScope() && trigger.tokenEndpointFor(issuer) == first;
           });
}

ClientConfig RunSession::withSandboxTrigger(const ClientConfig &config, const QString &name) const
{
    const SandboxTrigger *trigger = SandboxTriggers::named(name);
    if (!trigger || !m_sandbox)
        return config;
    ClientConfig changed = config;
    QStringList scopes;
    for (const QString &item : config.scope.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        if (!item.startsWith(QLatin1String("sandbox:")))
            scopes << item;
    }
    if (trigger->isScope())
        scopes << trigger->scope();
    changed.scope = scopes.join(QLatin1Char(' '));
    // One trigger at a time: a token endpoint set for an earlier trigger goes back to the
    // sandbox's own.
    const QString issuer = m_sandbox->issuer();
    const QList<SandboxTrigger> &triggers = SandboxTriggers::all();
    const bool endpointFromTrigger =
        std::any_of(triggers.begin(), triggers.end(), [&](const SandboxTrigger &other) {
            return !other.isScope() && other.tokenEndpointFor(issuer) == config.tokenEndpoint;
        });
    if (!trigger->isScope())
        changed.tokenEndpoint = trigger->tokenEndpointFor(issuer);
    else if (endpointFromTrigger)
        changed.tokenEndpoint = m_sandbox->endpoint(QStringLiteral("/token"));
    return changed;
}

} // namespace workbench
