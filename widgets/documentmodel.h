#pragma once
// The Qt face of a model document: owns the core ModelDocument and the QUndoStack, knows the file
// path and whether there are unsaved changes, and tells views what changed through typed signals.
// Views and item models listen to this object, never to each other (the current node lives here).
#include "core/edit/quantizeredit.h"
#include "core/model/modeldocument.h"

#include <QObject>
#include <QString>
#include <QUndoStack>

#include <memory>
#include <vector>

namespace qs::gui {

class QuantDocument : public QObject {
    Q_OBJECT
public:
    explicit QuantDocument(QObject* parent = nullptr);
    ~QuantDocument() override;

    // Takes a freshly loaded document; clears the undo stack and the current node.
    void reset(std::unique_ptr<qs::ModelDocument> doc);
    // Takes a document recovered from an autosave as the edited state of `originalPath`: it is marked
    // modified (nothing to undo), and Save writes to `originalPath`.
    void recover(std::unique_ptr<qs::ModelDocument> doc, const QString& originalPath);
    bool isLoaded() const { return doc_ != nullptr; }
    const qs::ModelDocument& doc() const { return *doc_; }
    // For undo commands only: they edit through core's edit API and then call notify*().
    qs::ModelDocument& mutableDoc() { return *doc_; }

    QString filePath() const { return path_; }
    QString displayName() const;
    bool isModified() const;
    QUndoStack* undoStack() { return &undoStack_; }

    // Saves atomically; throws qs::Error with the core's message on failure.
    void saveAs(const QString& path);

    int currentNode() const { return currentNode_; }
    void setCurrentNode(int node);

    // Edits through core's validated edit API and pushes the change as one undo step. Returns the
    // refusal message (fit to show in place), empty when the edit was applied or changed nothing.
    QString editQuantizer(int quantizer, const qs::QuantizerEdit& edit);
    QString editQuantizers(
        const std::vector<int>& quantizers, const qs::QuantizerEdit& edit, const QString& description);

    // Called by undo commands after they changed the core document.
    void notifyQuantizerChanged(int quantizer);
    void notifyTopologyChanged();

signals:
    void modelReset();
    void quantizerChanged(int quantizer);
    void topologyChanged();
    void currentNodeChanged(int node);
    void modifiedChanged(bool modified);
    void filePathChanged(const QString& path);

private:
    std::unique_ptr<qs::ModelDocument> doc_;
    QUndoStack undoStack_;
    QString path_;
    int currentNode_ = -1;
};

} // namespace qs::gui
