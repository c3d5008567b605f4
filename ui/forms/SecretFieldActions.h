#pragma once

class QLineEdit;

namespace workbench::SecretFieldActions {

// Gives a masked line edit a "show / hide" switch (object name "revealAction") and a "copy"
// action ("copyAction") that copies the value itself. The field stays masked until shown.
void decorate(QLineEdit *edit, bool withReveal = true);

} // namespace workbench::SecretFieldActions
