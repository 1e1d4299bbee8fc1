#include "widgets/documentmodel.h"

#include "core/edit/bulkedit.h"
#include "widgets/commands/bulkeditcommand.h"
#include "widgets/commands/editquantizercommand.h"

#include <QFileInfo>

namespace qs::gui {

QuantDocument::QuantDocument(QObject* parent)
    : QObject(parent)
{
    connect(
        &undoStack_, &QUndoStack::cleanChanged, this, [this](bool clean) { emit modifiedChanged(!clean); });
}

QuantDocument::~QuantDocument()
{
    // Commands refer to the document; drop them before it goes.
    undoStack_.clear();
}

void QuantDocument::reset(std::unique_ptr<qs::ModelDocument> doc)
{
    const bool wasModified = isModified();
    undoStack_.clear();
    doc_ = std::move(doc);
    path_ = doc_ ? QString::fromStdString(doc_->path().string()) : QString();
    currentNode_ = -1;
    emit filePathChanged(path_);
    emit modelReset();
    emit currentNodeChanged(-1);
    if (wasModified)
        emit modifiedChanged(false);
}

void QuantDocument::recover(std::unique_ptr<qs::ModelDocument> doc, const QString& originalPath)
{
    reset(std::move(doc));
    path_ = originalPath;
    emit filePathChanged(path_);
    undoStack_.resetClean(); // unsaved until the user saves, though there is nothing to undo
}

QString QuantDocument::displayName() const
{
    return path_.isEmpty() ? tr("untitled.onnx") : QFileInfo(path_).fileName();
}

bool QuantDocument::isModified() const
{
    return !undoStack_.isClean();
}

void QuantDocument::saveAs(const QString& path)
{
    doc_->save(path.toStdString());
    if (path != path_) {
        path_ = path;
        emit filePathChanged(path_);
    }
    undoStack_.setClean();
}

void QuantDocument::setCurrentNode(int node)
{
    if (!doc_ || node < -1 || node >= doc_->graph().nodeCount())
        node = -1;
    if (node == currentNode_)
        return;
    currentNode_ = node;
    emit currentNodeChanged(node);
}

QString QuantDocument::editQuantizer(int quantizer, const qs::QuantizerEdit& edit)
{
    if (!doc_)
        return tr("no model is open");
    qs::ChangeRecord record;
    try {
        record = qs::editQuantizer(*doc_, quantizer, edit);
    } catch (const std::exception& e) {
        return QString::fromUtf8(e.what());
    }
    if (!record.empty())
        undoStack_.push(new EditQuantizerCommand(this, quantizer, std::move(record)));
    return {};
}

QString QuantDocument::editQuantizers(
    const std::vector<int>& quantizers, const qs::QuantizerEdit& edit, const QString& description)
{
    if (!doc_)
        return tr("no model is open");
    qs::ChangeRecord record;
    try {
        record = qs::editQuantizers(*doc_, quantizers, edit, description.toStdString());
    } catch (const std::exception& e) {
        return QString::fromUtf8(e.what());
    }
    if (!record.empty())
        undoStack_.push(new BulkEditCommand(this, std::move(record)));
    return {};
}

void QuantDocument::notifyQuantizerChanged(int quantizer)
{
    emit quantizerChanged(quantizer);
}

void QuantDocument::notifyTopologyChanged()
{
    if (currentNode_ >= doc_->graph().nodeCount())
        setCurrentNode(-1);
    emit topologyChanged();
}

} // namespace qs::gui
