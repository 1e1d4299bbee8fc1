#pragma once
// At start-up: when an earlier Quantscope died with unsaved edits, ask whether to recover them.
#include <QString>

class QWidget;

namespace qs::gui {

class Autosaver;
class QuantDocument;

// Offers the newest orphaned autosave of `autosaver`'s store. Recover loads it into `document` (marked
// modified, saving goes to the original file) and returns true; Discard deletes it; Later keeps it.
// Returns false when nothing was recovered.
bool offerRecovery(QWidget* parent, QuantDocument& document, Autosaver& autosaver);

} // namespace qs::gui
