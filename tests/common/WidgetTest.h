#pragma once

// Helpers for tests that drive real widgets the way a person does.

#include <QLineEdit>
#include <QTest>
#include <QWidget>

namespace widgettest {

template <typename T> T *child(QWidget *root, const char *name)
{
    T *widget = root->findChild<T *>(QString::fromLatin1(name));
    if (!widget)
        qFatal("no widget named %s", name);
    return widget;
}

// Clears the line edit and types the text key by key.
inline void typeInto(QWidget *root, const char *name, const QString &text)
{
    auto *edit = child<QLineEdit>(root, name);
    edit->clear();
    QTest::keyClicks(edit, text);
}

} // namespace widgettest
