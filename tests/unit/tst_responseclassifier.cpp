#include "core/diagnosis/ResponseClassifier.h"

#include <QLocale>
#include <QTest>

using namespace workbench;

class TestResponseClassifier : public QObject
{
    Q_OBJECT

    static HttpHeaders headers(const QByteArray &contentType, const HttpHeaders &extra = {})
    {
        HttpHeaders out;
        if (!contentType.isEmpty())
            out.append({"Content-Type", contentType});
        out.append(extra);
        return out;
    }

private slots:
    void shapes_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("shape");
        QTest::addColumn<QString>("error");
        QTest::addColumn<QString>("description");
        QTest::addColumn<bool>("isError");

        QTest::newRow("token success")
            << 200 << QByteArray("application/json")
            << QByteArray("{\"access_token\":\"x\",\"token_type\":\"Bearer\"}") << "success"
            << ""
            << "" << false;
        QTest::newRow("rfc 6749") << 400 << QByteArray("application/json")
                                  << QByteArray(
                                         "{\"error\":\"invalid_grant\",\"error_description\":"
                                         "\"expired\",\"error_uri\":\"https://e/x\"}")
                                  << "oauth_error"
                                  << "invalid_grant"
                                  << "expired" << true;
        QTest::newRow("extra fields")
            << 400 << QByteArray("application/json")
            << QByteArray("{\"error\":\"invalid_scope\",\"error_human_title\":\"Bad "
                          "scope\",\"trace_id\":\"t1\",\"error_codes\":[70011]}")
            << "oauth_error"
            << "invalid_scope"
            << "" << true;
        QTest::newRow("unknown with a space")
            << 400 << QByteArray("application/json") << QByteArray("{\"error\":\"unknown \"}")
            << "oauth_error"
            << "unknown"
            << "" << true;
        QTest::newRow("error in 200")
            << 200 << QByteArray("application/json")
            << QByteArray("{\"error\":\"invalid_request\"}") << "oauth_error"
            << "invalid_request"
            << "" << true;
        QTest::newRow("nested object")
            << 400 << QByteArray("application/json")
            << QByteArray("{\"error\":{\"status\":400,\"title\":\"Bad "
                          "Request\",\"detail\":\"Invalid owner in token\"}}")
            << "nested_error_object"
            << ""
            << "Invalid owner in token" << true;
        QTest::newRow("gateway")
            << 401 << QByteArray("application/json")
            << QByteArray(
                   "{\"httpCode\":\"401\",\"httpMessage\":\"Unauthorized\",\"moreInformation\":"
                   "\"This server could not verify that you are authorized to access the URL\"}")
            << "gateway_error"
            << ""
            << "This server could not verify that you are authorized to access the URL" << true;
        QTest::newRow("problem+json")
            << 403 << QByteArray("application/problem+json")
            << QByteArray("{\"type\":\"https://e/probs/"
                          "scope\",\"title\":\"Forbidden\",\"detail\":\"needs admin\"}")
            << "problem_json"
            << ""
            << "needs admin" << true;
        QTest::newRow("form-encoded error")
            << 400 << QByteArray("application/x-www-form-urlencoded")
            << QByteArray("error=bad_verification_code&error_description=The+code+is+wrong")
            << "oauth_error"
            << "bad_verification_code"
            << "The code is wrong" << true;
        QTest::newRow("html from proxy")
            << 502 << QByteArray("text/html")
            << QByteArray(
                   "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>")
            << "html_page"
            << ""
            << "" << true;
        QTest::newRow("html at 200")
            << 200 << QByteArray("text/html; charset=utf-8")
            << QByteArray("<!DOCTYPE html><html><title>Docs</title></html>") << "html_page"
            << ""
            << "" << true;
        QTest::newRow("login page")
            << 200 << QByteArray("text/html")
            << QByteArray("<html><title>Portal</title><form><input name=u><input type=\"password\" "
                          "name=p></form></html>")
            << "login_page"
            << ""
            << "" << true;
        QTest::newRow("html without content type")
            << 500 << QByteArray() << QByteArray("  <!doctype html><title>Oops</title>")
            << "html_page"
            << ""
            << "" << true;
        QTest::newRow("empty 500") << 500 << QByteArray() << QByteArray() << "empty_body"
                                   << ""
                                   << "" << true;
        QTest::newRow("empty 204") << 204 << QByteArray() << QByteArray() << "success"
                                   << ""
                                   << "" << false;
        QTest::newRow("not utf-8") << 400 << QByteArray("text/plain")
                                   << QByteArray("\x1f\x8b\x08\x00\xff\xfe\xfd", 7) << "not_utf8"
                                   << ""
                                   << "" << true;
        QTest::newRow("plain text error")
            << 400 << QByteArray("text/plain") << QByteArray("invalid_request") << "plain_text"
            << "invalid_request" // a standard code in a text body is read as the code
            << "invalid_request" << true;
        QTest::newRow("json array")
            << 500 << QByteArray("application/json") << QByteArray("[1,2]") << "other_json"
            << ""
            << "" << true;
        QTest::newRow("truncated json") << 400 << QByteArray("application/json")
                                        << QByteArray("{\"error\":\"invalid_gr") << "plain_text"
                                        << ""
                                        << "{\"error\":\"invalid_gr" << true;
    }
    void shapes()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, contentType);
        QFETCH(QByteArray, body);
        QFETCH(QString, shape);
        QFETCH(QString, error);
        QFETCH(QString, description);
        QFETCH(bool, isError);
        const ErrorSignal signal =
            ResponseClassifier::classifyResponse(status, headers(contentType), body);
        QCOMPARE(ErrorSignal::shapeName(signal.shape), shape);
        QCOMPARE(signal.error, error);
        QCOMPARE(signal.description, description);
        QCOMPARE(signal.isError(), isError);
        QCOMPARE(signal.httpStatus, status);
    }

    void keepsExtrasAndTitles()
    {
        const ErrorSignal signal = ResponseClassifier::classifyResponse(
            400, headers("application/json"),
            "{\"error\":\"invalid_scope\",\"error_human_title\":\"Bad "
            "scope\",\"trace_id\":\"t1\",\"correlation_id\":\"c9\",\"error_codes\":[70011]}");
        QCOMPARE(signal.humanTitle, QStringLiteral("Bad scope"));
        QCOMPARE(signal.extras.value("trace_id"), QStringLiteral("t1"));
        QCOMPARE(signal.extras.value("correlation_id"), QStringLiteral("c9"));
        QCOMPARE(signal.extras.value("error_codes"), QStringLiteral("[70011]"));
        const ErrorSignal raw = ResponseClassifier::classifyResponse(
            400, headers("application/json"), "{\"error\":\"unknown \"}");
        QCOMPARE(raw.rawError, QStringLiteral("unknown "));
    }

    void wwwAuthenticate_data()
    {
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<QString>("scheme");
        QTest::addColumn<QString>("error");
        QTest::addColumn<QString>("description");
        QTest::addColumn<QString>("scope");
        QTest::newRow("bearer") << QByteArray("Bearer realm=\"api\", error=\"invalid_token\", "
                                              "error_description=\"The access token expired\"")
                                << "Bearer"
                                << "invalid_token"
                                << "The access token expired"
                                << "";
        QTest::newRow("scope")
            << QByteArray("Bearer error=\"insufficient_scope\", scope=\"read write v2\"")
            << "Bearer"
            << "insufficient_scope"
            << ""
            << "read write v2";
        QTest::newRow("escaped quote")
            << QByteArray("Bearer error=\"invalid_token\", error_description=\"say \\\"hi\\\"\"")
            << "Bearer"
            << "invalid_token"
            << "say \"hi\""
            << "";
        QTest::newRow("basic then bearer")
            << QByteArray("Basic realm=\"x\", Bearer error=\"invalid_token\"") << "Bearer"
            << "invalid_token"
            << ""
            << "";
        QTest::newRow("basic only")
            << QByteArray("Basic realm=\"token endpoint\", charset=\"UTF-8\"") << "Basic"
            << ""
            << ""
            << "";
        QTest::newRow("token68") << QByteArray("Negotiate abc123==") << "Negotiate"
                                 << ""
                                 << ""
                                 << "";
        QTest::newRow("garbage") << QByteArray("\"\"=,,==\"") << ""
                                 << ""
                                 << ""
                                 << "";
    }
    void wwwAuthenticate()
    {
        QFETCH(QByteArray, header);
        QFETCH(QString, scheme);
        QFETCH(QString, error);
        QFETCH(QString, description);
        QFETCH(QString, scope);
        QString parsedScheme;
        const auto params = ResponseClassifier::parseAuthParams(header, &parsedScheme);
        QCOMPARE(parsedScheme, scheme);
        QCOMPARE(params.value("error"), error);
        QCOMPARE(params.value("error_description"), description);
        QCOMPARE(params.value("scope"), scope);

        const ErrorSignal signal =
            ResponseClassifier::classifyResponse(401, {{"WWW-Authenticate", header}}, QByteArray());
        QCOMPARE(signal.error, error);
        QCOMPARE(ErrorSignal::shapeName(signal.shape), error.isEmpty()
                                                           ? QStringLiteral("empty_body")
                                                           : QStringLiteral("www_authenticate"));
    }

    void retryAfter_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<int>("seconds");
        QTest::newRow("seconds") << QByteArray("120") << 120;
        QTest::newRow("zero") << QByteArray("0") << 0;
        QTest::newRow("date in the past") << QByteArray("Wed, 21 Oct 2015 07:28:00 GMT") << 0;
        QTest::newRow("negative") << QByteArray("-5") << -1;
        QTest::newRow("garbage") << QByteArray("soon") << -1;
        QTest::newRow("absent") << QByteArray() << -1;
    }
    void retryAfter()
    {
        QFETCH(QByteArray, value);
        QFETCH(int, seconds);
        QCOMPARE(ResponseClassifier::parseRetryAfter(value, QDateTime::currentDateTimeUtc()),
                 seconds);
    }

    void retryAfterHttpDateInTheFuture()
    {
        const QDateTime now =
            QDateTime::fromSecsSinceEpoch(QDateTime::currentSecsSinceEpoch(), Qt::UTC);
        const QByteArray date =
            QLocale::c().toString(now.addSecs(90), "ddd, dd MMM yyyy hh:mm:ss 'GMT'").toLatin1();
        QCOMPARE(ResponseClassifier::parseRetryAfter(date, now), 90);
    }

    void redirectErrors()
    {
        HttpExchange callback;
        callback.kind = HttpExchange::Kind::LoopbackCallback;
        callback.request.url = QUrl("http://127.0.0.1:5000/callback?error=invalid_request&"
                                    "error_description=response_type+must+be+code&state=xyzABC123");
        ErrorSignal signal = ResponseClassifier::classify(callback);
        QCOMPARE(signal.shape, ErrorSignal::Shape::RedirectError);
        QCOMPARE(signal.description, QStringLiteral("response_type must be code"));
        QCOMPARE(signal.extras.value("state"), QStringLiteral("xyzABC123"));

        // The fragment relay posts the whole fragment as one field.
        callback.request.method = "POST";
        callback.request.url = QUrl("http://127.0.0.1:5000/__workbench/fragment");
        callback.request.body =
            "fragment=" + QUrl::toPercentEncoding("error=access_denied&error_description=no%20way");
        signal = ResponseClassifier::classify(callback);
        QCOMPARE(signal.error, QStringLiteral("access_denied"));
        QCOMPARE(signal.description, QStringLiteral("no way"));

        callback.request.url = QUrl("http://127.0.0.1:5000/callback?code=abc&state=s");
        callback.request.method = "GET";
        callback.request.body.clear();
        QVERIFY(!ResponseClassifier::classify(callback).isError());
    }

    void transportFailures()
    {
        HttpExchange failed;
        failed.transport = HttpExchange::Transport::ConnectionRefused;
        failed.networkError = "Connection refused";
        const ErrorSignal signal = ResponseClassifier::classify(failed);
        QCOMPARE(signal.shape, ErrorSignal::Shape::Transport);
        QVERIFY(signal.isError());
        QCOMPARE(signal.transportMessage, QStringLiteral("Connection refused"));
    }

    void hugeBodiesAreClassifiedWithoutTrouble()
    {
        QByteArray html = "<html><head><title>Big</title></head><body>";
        html += QByteArray(20 * 1024 * 1024, 'x');
        const ErrorSignal page =
            ResponseClassifier::classifyResponse(500, headers("text/html"), html);
        QCOMPARE(page.shape, ErrorSignal::Shape::HtmlPage);
        QCOMPARE(page.htmlTitle, QStringLiteral("Big"));

        const QByteArray line(2 * 1024 * 1024, 'a');
        const ErrorSignal text =
            ResponseClassifier::classifyResponse(400, headers("text/plain"), line);
        QCOMPARE(text.shape, ErrorSignal::Shape::PlainText);
        QVERIFY(text.description.size() <= 300);
    }
};

QTEST_GUILESS_MAIN(TestResponseClassifier)
#include "tst_responseclassifier.moc"
