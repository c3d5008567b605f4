#pragma once

#include "core/client/ClientConfig.h"
#include "core/storage/Profile.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QString>

namespace workbench::CommandLine {

// How a command runs its grant on the RunSession the window uses too.
struct RunOptions
{
    bool asJson = false;
    QString browserCommand; // browser grants: a program to open the URL with; else it is printed
    bool save = false;      // keep the run, redacted, in the app's history
    QString profile;        // the profile's name the run is saved under
};

// Runs `config` to its end, printing each exchange as it happens (the raw request and answer),
// what the person has to do (the URL to open; the device flow's code, link and QR code) on
// standard error, and the outcome with its diagnosis. The exit code: 0 when the grant gave
// tokens, 1 when not.
int runToEnd(const ClientConfig &config, const RunOptions &options);

// The options that say which profile to start from and whether to save the run.
struct ProfileOptions
{
    QCommandLineOption profile{"profile",
                               "Start from this saved profile of the app (by name): its settings, "
                               "and the secrets it keeps in the keychain. Options given as well "
                               "replace the profile's values.",
                               "name"};
    QCommandLineOption save{"save", "Keep the run, redacted, in the app's history."};

    QList<QCommandLineOption> all() const { return {profile, save}; }
    // How to run, from the options given (--json is ClientOptions::json).
    RunOptions runOptions(const QCommandLineParser &parser, const QCommandLineOption &json) const
    {
        RunOptions options;
        options.asJson = parser.isSet(json);
        options.save = parser.isSet(save);
        options.profile = parser.value(profile);
        return options;
    }
};

// Reads the profile named `name` from the app's profiles into `config`, with the secrets it
// keeps in the keychain. False, with why not, when it cannot (no such profile, or the keychain
// could not give a secret: the run would fail without it).
// `loaded`, when given, receives the profile itself (its keychain keys).
[[nodiscard]] bool loadProfile(const QString &name, ClientConfig *config, QString *error,
                               Profile *loaded = nullptr);

} // namespace workbench::CommandLine
