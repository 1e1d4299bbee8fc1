#pragma once
// A plain-text table with aligned columns for the CLI's human-readable output.
#include <ostream>
#include <string>
#include <vector>

namespace qs::cli {

class TextTable {
public:
    explicit TextTable(std::vector<std::string> header) : header_(std::move(header)) {}
    void addRow(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
    void print(std::ostream& out) const;

private:
    std::vector<std::string> header_;
    std::vector<std::vector<std::string>> rows_;
};

std::string formatNumber(double value, int significant = 4); // 0.0039, 1.2e-05, 8

} // namespace qs::cli
