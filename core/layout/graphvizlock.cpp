#include "core/layout/graphvizlock.h"

#include <dlfcn.h>
#include <graphviz/gvc.h>

namespace qs {
namespace {

struct ContextHolder {
    GVC_t* context = nullptr;
    ContextHolder()
    {
        // QS_GRAPHVIZ_PLUGIN_DIR comes from pkg-config (libgvc's libdir) at configure time.
        const char* pluginPath = QS_GRAPHVIZ_PLUGIN_DIR "/libgvplugin_dot_layout.so.6";
        if (void* plugin = dlopen(pluginPath, RTLD_NOW | RTLD_LOCAL)) {
            if (void* library = dlsym(plugin, "gvplugin_dot_layout_LTX_library")) {
                static lt_symlist_t builtins[]
                    = {{"gvplugin_dot_layout_LTX_library", library}, {nullptr, nullptr}};
                context = gvContextPlugins(builtins, 0);
            }
        }
        if (!context)
            context = gvContext();
        agseterr(AGERR); // warnings would go to stderr; errors surface as a failed layout
    }
    ~ContextHolder() { gvFreeContext(context); }
};

} // namespace

std::mutex& graphvizMutex()
{
    static std::mutex mutex;
    return mutex;
}

GVC_s* graphvizContext()
{
    static ContextHolder holder;
    return holder.context;
}

} // namespace qs
