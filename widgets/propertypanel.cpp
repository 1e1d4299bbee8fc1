#include "widgets/propertypanel.h"

#include "widgets/documentmodel.h"
#include "widgets/layerstats.h"
#include "widgets/propertytext.h"
#include "widgets/quantizereditor.h"
#include "widgets/weighthistogram.h"

#include <QHeaderView>
#include <QSplitter>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace qs::gui {
namespace {

QString str(const std::string& s)
{
    return QString::fromStdString(s);
}

QTreeWidgetItem* addRow(QTreeWidgetItem* parent, const QString& key, const QString& value)
{
    auto* item = new QTreeWidgetItem(parent, {key, value});
    item->setToolTip(0, key);
    item->setToolTip(1, value);
    return item;
}

QTreeWidgetItem* addSection(QTreeWidget* tree, const QString& title)
{
    auto* item = new QTreeWidgetItem(tree, {title});
    QFont font = item->font(0);
    font.setBold(true);
    item->setFont(0, font);
    item->setFirstColumnSpanned(true);
    item->setExpanded(true);
    return item;
}

QString optionalNumber(const std::optional<double>& v, const QString& missing = QStringLiteral("?"))
{
    return v ? QString::number(*v, 'g', 6) : missing;
}

const qs::Layer* layerOfNode(const qs::ModelDocument& doc, int node)
{
    for (const qs::Layer& layer : doc.layers())
        if (layer.node == node)
            return &layer;
    return nullptr;
}

} // namespace

PropertyPanel::PropertyPanel(QuantDocument* document, QWidget* parent)
    : QWidget(parent)
    , document_(document)
    , tree_(new QTreeWidget(this))
    , histogram_(new WeightHistogram(this))
    , editor_(new QuantizerEditor(document, this))
{
    tree_->setColumnCount(2);
    tree_->setHeaderLabels({tr("Property"), tr("Value")});
    tree_->setRootIsDecorated(true);
    tree_->setUniformRowHeights(true);
    tree_->setAlternatingRowColors(true);
    // Tensor names can be very long: a fixed first column keeps the values visible (tooltips hold all).
    tree_->header()->setSectionResizeMode(0, QHeaderView::Interactive);
    tree_->setColumnWidth(0, 190);
    tree_->setTextElideMode(Qt::ElideMiddle);
    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(tree_);
    splitter->addWidget(histogram_);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(editor_);
    layout->addWidget(splitter, 1);

    connect(document_, &QuantDocument::currentNodeChanged, this, &PropertyPanel::showNode);
    connect(
        document_, &QuantDocument::quantizerChanged, this, [this] { showNode(document_->currentNode()); });
    connect(document_, &QuantDocument::modelReset, this, [this] { showNode(-1); });
}

void PropertyPanel::showNode(int node)
{
    tree_->clear();
    if (!document_->isLoaded() || node < 0) {
        histogram_->clear();
        editor_->setQuantizer(-1);
        if (document_->isLoaded())
            showModel();
        return;
    }
    const qs::ModelDocument& doc = document_->doc();
    const qs::NodeInfo& info = doc.node(node);
    QTreeWidgetItem* general = addSection(tree_, tr("Node"));
    addRow(general, tr("Op"), str(info.opType));
    addRow(general, tr("Domain"), info.domain.empty() ? QStringLiteral("ai.onnx") : str(info.domain));
    addRow(general, tr("Name"), str(info.name));
    if (info.fileName != info.name)
        addRow(general, tr("Name in file"), info.fileName.empty() ? tr("(empty)") : str(info.fileName));

    // Attributes as stored: read through the proto accessors, for display only.
    const onnx::NodeProto& proto = doc.nodeProto(node);
    if (proto.attribute_size() > 0) {
        QTreeWidgetItem* attrs = addSection(tree_, tr("Attributes"));
        for (const onnx::AttributeProto& a : proto.attribute())
            addRow(attrs, str(a.name()), attributeText(a));
    }
    QTreeWidgetItem* inputs = addSection(tree_, tr("Inputs"));
    for (std::size_t i = 0; i < info.inputs.size(); ++i) {
        const qs::TensorId t = info.inputs[i];
        addRow(
            inputs, t >= 0 ? str(doc.tensor(t).name) : QStringLiteral("#%1").arg(i), tensorSummary(doc, t));
    }
    QTreeWidgetItem* outputs = addSection(tree_, tr("Outputs"));
    for (std::size_t i = 0; i < info.outputs.size(); ++i) {
        const qs::TensorId t = info.outputs[i];
        addRow(
            outputs, t >= 0 ? str(doc.tensor(t).name) : QStringLiteral("#%1").arg(i), tensorSummary(doc, t));
    }

    const int quantizer = doc.quantizerOfNode(node);
    if (quantizer >= 0)
        addQuantizer(addSection(tree_, tr("Quantizer")), quantizer);
    if (const qs::Layer* layer = layerOfNode(doc, node)) {
        QTreeWidgetItem* section = addSection(tree_, tr("Layer"));
        addRow(section, tr("K (dot-product length)"),
            layer->dotProductLength ? QString::number(*layer->dotProductLength) : tr("?"));
        addRow(section, tr("Group"), QString::number(layer->group));
        addRow(section, tr("MACs"), optionalNumber(layerMacs(*layer)));
        const std::pair<const char*, int> roles[]
            = {{"Input quantizer", layer->inputQuantizer}, {"Weight quantizer", layer->weightQuantizer},
                {"Bias quantizer", layer->biasQuantizer}, {"Output quantizer", layer->outputQuantizer}};
        for (const auto& [label, q] : roles) {
            if (q < 0)
                continue;
            QTreeWidgetItem* sub
                = addRow(section, tr(label), str(doc.quantizers()[static_cast<std::size_t>(q)].dataType));
            addQuantizer(sub, q);
            sub->setExpanded(false);
        }
    }
    showWeights(node);
    // The editor follows the node's own quantizer, or a layer's weight quantizer.
    const qs::Layer* layer = layerOfNode(doc, node);
    editor_->setQuantizer(quantizer >= 0 ? quantizer : (layer ? layer->weightQuantizer : -1));
}

void PropertyPanel::showModel()
{
    const qs::ModelDocument& doc = document_->doc();
    QTreeWidgetItem* model = addSection(tree_, tr("Model"));
    addRow(model, tr("File"), document_->displayName());
    addRow(model, tr("Format"), QString::fromLatin1(qs::modelFormatName(doc.format())).toUpper());
    addRow(model, tr("Producer"), str(doc.proto().producer_name() + " " + doc.proto().producer_version()));
    addRow(model, tr("IR version"), QString::number(doc.proto().ir_version()));
    addRow(model, tr("Opset"), QString::number(doc.opsetVersion("")));
    addRow(model, tr("Nodes"), QString::number(doc.graph().nodeCount()));
    addRow(model, tr("Quantizers"), QString::number(doc.quantizers().size()));
    addRow(model, tr("Layers"), QString::number(doc.layers().size()));
    addRow(model, tr("Checker"), str(doc.checkerResult()));
    QTreeWidgetItem* inputs = addSection(tree_, tr("Graph inputs"));
    for (qs::TensorId t : doc.graph().graphInputs())
        addRow(inputs, str(doc.tensor(t).name), tensorSummary(doc, t));
    QTreeWidgetItem* outputs = addSection(tree_, tr("Graph outputs"));
    for (qs::TensorId t : doc.graph().graphOutputs())
        addRow(outputs, str(doc.tensor(t).name), tensorSummary(doc, t));
    if (!doc.diagnostics().empty()) {
        QTreeWidgetItem* notes = addSection(tree_, tr("Diagnostics"));
        for (const std::string& d : doc.diagnostics())
            addRow(notes, QStringLiteral("•"), str(d));
    }
}

void PropertyPanel::addQuantizer(QTreeWidgetItem* parent, int id)
{
    const qs::Quantizer& q = document_->doc().quantizers()[static_cast<std::size_t>(id)];
    addRow(parent, tr("Kind"), QString::fromLatin1(qs::quantizerKindName(q.kind)));
    addRow(parent, tr("Role"), QString::fromLatin1(qs::quantizerRoleName(q.role)));
    addRow(parent, tr("Name"), str(q.name));
    addRow(parent, tr("Datatype"), str(q.dataType));
    addRow(parent, tr("Bits"), optionalNumber(q.bitWidth, tr("(computed at run time)")));
    addRow(parent, tr("Signed"), q.isSigned ? tr("yes") : tr("no"));
    addRow(parent, tr("Narrow"), q.narrow ? tr("yes") : tr("no"));
    addRow(parent, tr("Rounding"),
        str(q.roundingMode) + (q.attributesDefaulted ? tr(" (defaulted)") : QString()));
    addRow(parent, tr("Scale"), parameterText(q.scale));
    addRow(parent, tr("Zero point"), parameterText(q.zeroPoint));
    addRow(parent, tr("Integer range"),
        q.qmin && q.qmax ? QStringLiteral("[%1, %2]").arg(*q.qmin, 0, 'g', 10).arg(*q.qmax, 0, 'g', 10)
                         : tr("?"));
    if (auto range = clipRange(q))
        addRow(parent, tr("Real range"),
            QStringLiteral("[%1, %2]").arg(range->low, 0, 'g', 5).arg(range->high, 0, 'g', 5));
    if (q.kind == qs::QuantizerKind::Trunc)
        addRow(parent, tr("Output bits"), optionalNumber(q.outBitWidth));
    if (q.kind == qs::QuantizerKind::FloatQuant) {
        addRow(parent, tr("Exponent bits"), optionalNumber(q.exponentBitWidth));
        addRow(parent, tr("Mantissa bits"), optionalNumber(q.mantissaBitWidth));
    }
}

void PropertyPanel::showWeights(int node)
{
    // The weights of interest: the constant input of a weight quantizer, the quantized weights of a
    // layer, or else the largest constant input of the node.
    const qs::ModelDocument& doc = document_->doc();
    const auto& quantizers = doc.quantizers();
    const qs::Quantizer* quantizer = nullptr;
    qs::TensorId tensor = -1;
    const int own = doc.quantizerOfNode(node);
    if (own >= 0 && quantizers[static_cast<std::size_t>(own)].input >= 0
        && doc.tensor(quantizers[static_cast<std::size_t>(own)].input).isConstant)
        quantizer = &quantizers[static_cast<std::size_t>(own)];
    else if (const qs::Layer* layer = layerOfNode(doc, node)) {
        if (layer->weightQuantizer >= 0)
            quantizer = &quantizers[static_cast<std::size_t>(layer->weightQuantizer)];
        else
            tensor = layer->weight;
    }
    if (quantizer)
        tensor = quantizer->input;
    if (tensor < 0) {
        std::int64_t best = 1;
        for (qs::TensorId t : doc.node(node).inputs) {
            const auto shape
                = t >= 0 && doc.tensor(t).isConstant ? doc.tensor(t).staticShape() : std::nullopt;
            if (!shape)
                continue;
            std::int64_t n = 1;
            for (std::int64_t d : *shape)
                n *= d;
            if (n > best) {
                best = n;
                tensor = t;
            }
        }
    }
    std::optional<qs::Tensor> values;
    try {
        if (quantizer && quantizer->kind == qs::QuantizerKind::DequantizeOnly) {
            // Integer codes stored: show the dequantized values, on the same axis as the clip range.
            values = doc.constantValue(quantizer->output);
            if (values)
                tensor = quantizer->output;
            else
                quantizer = nullptr;
        }
        if (!values && tensor >= 0)
            values = doc.constantValue(tensor);
    } catch (const std::exception&) {
        values.reset(); // a constant the evaluator cannot fold: no histogram, not an error
    }
    if (!values || values->empty()) {
        histogram_->clear();
        return;
    }
    histogram_->showTensor(str(doc.tensor(tensor).name), *values, quantizer);
}

} // namespace qs::gui
