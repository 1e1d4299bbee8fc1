#include "aboutdialog.h"

#include "versioninfo.h"

#include <QDialogButtonBox>
#include <QFile>
#include <QLabel>
#include <QTabWidget>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace qs::gui {
namespace {

QString resourceText(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

QTextBrowser* markdownPage(const QString& markdown)
{
    auto* page = new QTextBrowser;
    page->setOpenExternalLinks(true);
    page->setMarkdown(markdown);
    return page;
}

} // namespace

AboutDialog::AboutDialog(QWidget* parent)
    : QDialog(parent)
{
    setWindowTitle(tr("About Quantscope"));
    const VersionInfo v = versionInfo();
    auto* header = new QLabel(
        tr("<h3>Quantscope %1</h3>"
           "<p>Inspect, measure and edit quantized ONNX (QONNX / QCDQ) networks.</p>"
           "<p>Running on %2.</p>"
           "<p>Free software under the GNU General Public License, version 3 or later, with an "
           "additional permission to link the Graphviz libraries (EPL-1.0). QCustomPlot (GPL-3.0) draws "
           "the plots; Qt is used under the LGPL-3.0.</p>")
            .arg(v.quantscope, librariesSentence(v).toHtmlEscaped()));
    header->setWordWrap(true);
    header->setTextInteractionFlags(Qt::TextBrowserInteraction);

    auto* tabs = new QTabWidget;
    tabs->addTab(markdownPage(resourceText(QStringLiteral(":/licenses/THIRD-PARTY-LICENSES.md"))),
        tr("Third-party licences"));
    auto* license = new QTextBrowser;
    license->setPlainText(resourceText(QStringLiteral(":/licenses/LICENSE")));
    tabs->addTab(license, tr("Licence"));
    auto* versions = new QTextBrowser;
    versions->setPlainText(versionText(v));
    tabs->addTab(versions, tr("Versions"));

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(header);
    layout->addWidget(tabs, 1);
    layout->addWidget(buttons);
    resize(760, 600);
}

} // namespace qs::gui
