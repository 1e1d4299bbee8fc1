#include "app/cli/texttable.h"

#include <algorithm>
#include <cstdio>

namespace qs::cli {

void TextTable::print(std::ostream& out) const
{
    std::vector<std::size_t> width(header_.size(), 0);
    for (std::size_t c = 0; c < header_.size(); ++c)
        width[c] = header_[c].size();
    for (const auto& row : rows_)
        for (std::size_t c = 0; c < row.size() && c < width.size(); ++c)
            width[c] = std::max(width[c], row[c].size());
    auto printRow = [&](const std::vector<std::string>& row) {
        for (std::size_t c = 0; c < width.size(); ++c) {
            const std::string& cell = c < row.size() ? row[c] : std::string();
            out << cell;
            if (c + 1 < width.size())
                out << std::string(width[c] - cell.size() + 2, ' ');
        }
        out << '\n';
    };
    printRow(header_);
    std::vector<std::string> rule;
    for (std::size_t w : width)
        rule.push_back(std::string(w, '-'));
    printRow(rule);
    for (const auto& row : rows_)
        printRow(row);
}

std::string formatNumber(double value, int significant)
{
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*g", significant, value);
    return buffer;
}

} // namespace qs::cli
