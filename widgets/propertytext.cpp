#include "widgets/propertytext.h"

#include <QStringList>

namespace qs::gui {
namespace {

constexpr int kMaxListed = 8; // longer int/float lists are abbreviated

template <class List, class Fmt> QString listText(const List& list, Fmt fmt)
{
    QStringList parts;
    for (int i = 0; i < list.size() && i < kMaxListed; ++i)
        parts << fmt(list.Get(i));
    if (list.size() > kMaxListed)
        parts << QStringLiteral("… (%1)").arg(list.size());
    return QLatin1Char('[') + parts.join(QStringLiteral(", ")) + QLatin1Char(']');
}

} // namespace

QString elemTypeName(int type)
{
    if (type <= 0 || !onnx::TensorProto_DataType_IsValid(type))
        return QStringLiteral("?");
    return QString::fromStdString(
        onnx::TensorProto_DataType_Name(static_cast<onnx::TensorProto_DataType>(type)));
}

QString tensorSummary(const qs::ModelDocument& doc, qs::TensorId id)
{
    if (id < 0)
        return QStringLiteral("(omitted)");
    const qs::TensorInfo& t = doc.tensor(id);
    QString text = elemTypeName(t.elemType) + QLatin1Char(' ') + QString::fromStdString(t.shapeString());
    if (t.isInitializer())
        text += QStringLiteral("  initializer");
    else if (t.isConstant)
        text += QStringLiteral("  constant");
    return text;
}

QString attributeText(const onnx::AttributeProto& a)
{
    auto num = [](double v) { return QString::number(v, 'g', 6); };
    switch (a.type()) {
    case onnx::AttributeProto::INT:
        return QString::number(a.i());
    case onnx::AttributeProto::FLOAT:
        return num(a.f());
    case onnx::AttributeProto::STRING:
        return QString::fromStdString(a.s());
    case onnx::AttributeProto::INTS:
        return listText(a.ints(), [](std::int64_t v) { return QString::number(v); });
    case onnx::AttributeProto::FLOATS:
        return listText(a.floats(), num);
    case onnx::AttributeProto::STRINGS:
        return listText(a.strings(), [](const std::string& s) { return QString::fromStdString(s); });
    case onnx::AttributeProto::TENSOR: {
        QStringList dims;
        for (std::int64_t d : a.t().dims())
            dims << QString::number(d);
        return QStringLiteral("tensor %1 [%2]")
            .arg(elemTypeName(a.t().data_type()), dims.join(QLatin1Char(',')));
    }
    case onnx::AttributeProto::GRAPH:
        return QStringLiteral("graph (%1 nodes)").arg(a.g().node_size());
    default:
        return QStringLiteral("(%1)").arg(
            QString::fromStdString(onnx::AttributeProto_AttributeType_Name(a.type())));
    }
}

QString parameterText(const qs::QuantParameter& p)
{
    if (p.tensor < 0)
        return QStringLiteral("(absent)");
    if (!p.known)
        return QStringLiteral("(computed at run time)");
    if (p.values.size() == 1)
        return QString::number(p.values.front(), 'g', 6);
    const QString range = QStringLiteral("%1 … %2").arg(p.minValue(), 0, 'g', 4).arg(p.maxValue(), 0, 'g', 4);
    if (p.isPerChannel())
        return QStringLiteral("per-channel (axis %1, %2 values) %3")
            .arg(p.axis)
            .arg(p.values.size())
            .arg(range);
    return QStringLiteral("%1 values %2").arg(p.values.size()).arg(range);
}

} // namespace qs::gui
