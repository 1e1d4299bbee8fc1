#include "core/tensorio/npy.h"

#include "core/util/atomicfile.h"
#include "core/util/error.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <zlib.h>

namespace qs {
namespace {

std::string readAll(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error("cannot open " + path.string());
    return {std::istreambuf_iterator<char>(in), {}};
}

// Extracts the value text of `key` from the header dict, e.g. "'<f4'" or "(1, 2, 128)".
std::string headerValue(const std::string& header, const std::string& key, const std::string& what)
{
    const auto k = header.find("'" + key + "'");
    if (k == std::string::npos)
        throw Error(what + ": .npy header has no '" + key + "'");
    auto v = header.find(':', k);
    if (v == std::string::npos)
        throw Error(what + ": malformed .npy header");
    ++v;
    while (v < header.size() && header[v] == ' ')
        ++v;
    if (v >= header.size())
        throw Error(what + ": malformed .npy header");
    const char open = header[v];
    const char close = open == '(' ? ')' : (open == '\'' ? '\'' : ',');
    const auto end = header.find(close, v + 1);
    if (end == std::string::npos)
        throw Error(what + ": malformed .npy header");
    return header.substr(v, end - v + 1);
}

struct Descr {
    DType type;
    std::size_t bytes;
    bool isHalf = false;
    bool isUnsigned32 = false;
    bool isUnsigned64 = false;
    bool isUnsigned16 = false;
};

Descr parseDescr(std::string d, const std::string& what)
{
    d.erase(std::remove(d.begin(), d.end(), '\''), d.end());
    if (d.size() < 2 || d[0] == '>')
        throw Error(what + ": unsupported .npy dtype '" + d + "' (big-endian or malformed)");
    const std::string code = (d[0] == '<' || d[0] == '|' || d[0] == '=') ? d.substr(1) : d;
    if (code == "f4") return {DType::Float32, 4};
    if (code == "f8") return {DType::Float64, 8};
    if (code == "f2") return {DType::Float32, 2, true};
    if (code == "i8") return {DType::Int64, 8};
    if (code == "i4") return {DType::Int32, 4};
    if (code == "i2") return {DType::Int16, 2};
    if (code == "i1") return {DType::Int8, 1};
    if (code == "u1") return {DType::UInt8, 1};
    if (code == "u2") return {DType::Int32, 2, false, false, false, true};
    if (code == "u4") return {DType::Int64, 4, false, true};
    if (code == "u8") return {DType::Int64, 8, false, false, true};
    if (code == "b1") return {DType::Bool, 1};
    throw Error(what + ": unsupported .npy dtype '" + d + "'");
}

Shape parseShape(const std::string& text, const std::string& what)
{
    Shape shape;
    std::size_t i = 1;
    while (i < text.size()) {
        while (i < text.size() && (text[i] == ' ' || text[i] == ','))
            ++i;
        if (i >= text.size() || text[i] == ')')
            break;
        std::size_t used = 0;
        try {
            shape.push_back(std::stoll(text.substr(i), &used));
        } catch (const std::exception&) {
            throw Error(what + ": malformed shape " + text + " in .npy header");
        }
        if (shape.back() < 0)
            throw Error(what + ": negative dimension in .npy header");
        i += used;
    }
    return shape;
}

float halfToFloat(std::uint16_t h)
{
    const std::uint32_t sign = (h & 0x8000u) << 16;
    std::uint32_t exponent = (h >> 10) & 0x1fu;
    std::uint32_t mantissa = h & 0x3ffu;
    std::uint32_t bits;
    if (exponent == 0 && mantissa == 0)
        bits = sign;
    else if (exponent == 0) {
        exponent = 113;
        while ((mantissa & 0x400u) == 0) {
            mantissa <<= 1;
            --exponent;
        }
        bits = sign | (exponent << 23) | ((mantissa & 0x3ffu) << 13);
    } else if (exponent == 31)
        bits = sign | 0x7f800000u | (mantissa << 13);
    else
        bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
}

// Reorders a Fortran-ordered buffer into C order.
Tensor fortranToC(const Tensor& f)
{
    Tensor c(f.dtype(), f.shape());
    const int rank = f.rank();
    const std::size_t elem = dtypeSize(f.dtype());
    std::vector<std::int64_t> index(static_cast<std::size_t>(rank), 0);
    for (std::int64_t i = 0; i < f.size(); ++i) {
        // i is the C-order linear index; compute the Fortran offset of the same element.
        std::int64_t rest = i, fOffset = 0, stride = 1;
        for (int a = rank - 1; a >= 0; --a) {
            index[static_cast<std::size_t>(a)] = rest % f.shape()[static_cast<std::size_t>(a)];
            rest /= f.shape()[static_cast<std::size_t>(a)];
        }
        for (int a = 0; a < rank; ++a) {
            fOffset += index[static_cast<std::size_t>(a)] * stride;
            stride *= f.shape()[static_cast<std::size_t>(a)];
        }
        std::memcpy(c.rawData() + i * static_cast<std::int64_t>(elem), f.rawData() + fOffset * static_cast<std::int64_t>(elem), elem);
    }
    return c;
}

std::uint32_t le32(std::string_view s, std::size_t at)
{
    std::uint32_t v;
    std::memcpy(&v, s.data() + at, 4);
    return v;
}
std::uint16_t le16(std::string_view s, std::size_t at)
{
    std::uint16_t v;
    std::memcpy(&v, s.data() + at, 2);
    return v;
}

std::string inflateRaw(std::string_view compressed, std::size_t expected, const std::string& what)
{
    std::string out(expected, '\0');
    z_stream zs {};
    if (inflateInit2(&zs, -MAX_WBITS) != Z_OK)
        throw Error(what + ": cannot initialise zlib");
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
    zs.avail_in = static_cast<uInt>(compressed.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    const int rc = inflate(&zs, Z_FINISH);
    inflateEnd(&zs);
    if (rc != Z_STREAM_END || zs.total_out != expected)
        throw Error(what + ": corrupt deflated entry in .npz");
    return out;
}

} // namespace

Tensor parseNpy(std::string_view bytes, const std::string& what)
{
    if (bytes.size() < 10 || bytes.substr(0, 6) != "\x93NUMPY")
        throw Error(what + " is not a .npy file");
    const int major = static_cast<unsigned char>(bytes[6]);
    std::size_t headerLength, headerStart;
    if (major == 1) {
        headerLength = static_cast<unsigned char>(bytes[8]) | (static_cast<unsigned char>(bytes[9]) << 8);
        headerStart = 10;
    } else {
        if (bytes.size() < 12)
            throw Error(what + " is truncated");
        std::uint32_t len;
        std::memcpy(&len, bytes.data() + 8, 4);
        headerLength = len;
        headerStart = 12;
    }
    if (headerStart + headerLength > bytes.size())
        throw Error(what + " is truncated (header)");
    const std::string header(bytes.substr(headerStart, headerLength));
    const Descr descr = parseDescr(headerValue(header, "descr", what), what);
    const bool fortran = headerValue(header, "fortran_order", what).find("True") != std::string::npos;
    const Shape shape = parseShape(headerValue(header, "shape", what), what);
    const std::int64_t count = elementCount(shape);
    const std::size_t dataStart = headerStart + headerLength;
    if (static_cast<std::uint64_t>(count) * descr.bytes > bytes.size() - dataStart)
        throw Error(what + " is truncated: shape " + shapeToString(shape) + " needs more data than the file holds");
    Tensor t(descr.type, shape);
    const char* src = bytes.data() + dataStart;
    if (descr.isHalf) {
        for (std::int64_t i = 0; i < count; ++i) {
            std::uint16_t h;
            std::memcpy(&h, src + 2 * i, 2);
            t.data<float>()[i] = halfToFloat(h);
        }
    } else if (descr.isUnsigned16) {
        for (std::int64_t i = 0; i < count; ++i) {
            std::uint16_t v;
            std::memcpy(&v, src + 2 * i, 2);
            t.data<std::int32_t>()[i] = v;
        }
    } else if (descr.isUnsigned32) {
        for (std::int64_t i = 0; i < count; ++i) {
            std::uint32_t v;
            std::memcpy(&v, src + 4 * i, 4);
            t.data<std::int64_t>()[i] = v;
        }
    } else {
        if (t.byteSize() > 0)
            std::memcpy(t.rawData(), src, t.byteSize());
    }
    return fortran && t.rank() > 1 ? fortranToC(t) : t;
}

Tensor readNpy(const std::filesystem::path& path) { return parseNpy(readAll(path), path.filename().string()); }

std::string serializeNpy(const Tensor& tensor)
{
    const char* descr = "<f4";
    switch (tensor.dtype()) {
    case DType::Float32: descr = "<f4"; break;
    case DType::Float64: descr = "<f8"; break;
    case DType::Int64: descr = "<i8"; break;
    case DType::Int32: descr = "<i4"; break;
    case DType::Int16: descr = "<i2"; break;
    case DType::Int8: descr = "|i1"; break;
    case DType::UInt8: descr = "|u1"; break;
    case DType::Bool: descr = "|b1"; break;
    }
    std::string shape = "(";
    for (std::size_t i = 0; i < tensor.shape().size(); ++i)
        shape += std::to_string(tensor.shape()[i]) + (tensor.shape().size() == 1 ? "," : (i + 1 < tensor.shape().size() ? ", " : ""));
    shape += ")";
    std::string header = std::string("{'descr': '") + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
    // Pad so that the data starts on a 64-byte boundary, ending the header with '\n' (format 1.0).
    const std::size_t total = ((10 + header.size() + 1 + 63) / 64) * 64;
    header.append(total - 10 - header.size() - 1, ' ');
    header += '\n';
    std::string out = "\x93NUMPY";
    out += '\x01';
    out += '\x00';
    out += static_cast<char>(header.size() & 0xff);
    out += static_cast<char>((header.size() >> 8) & 0xff);
    out += header;
    out.append(reinterpret_cast<const char*>(tensor.rawData()), tensor.byteSize());
    return out;
}

void writeNpy(const std::filesystem::path& path, const Tensor& tensor) { writeFileAtomically(path, serializeNpy(tensor)); }

std::map<std::string, Tensor> readNpz(const std::filesystem::path& path)
{
    return parseNpz(readAll(path), path.filename().string());
}

std::map<std::string, Tensor> parseNpz(std::string_view zip, const std::string& what)
{
    // Find the end-of-central-directory record (scan back over a possible comment).
    if (zip.size() < 22)
        throw Error(what + " is not an .npz archive");
    std::size_t eocd = std::string::npos;
    for (std::size_t i = zip.size() - 22 + 1; i-- > 0 && zip.size() - i <= 22 + 65535;)
        if (le32(zip, i) == 0x06054b50) {
            eocd = i;
            break;
        }
    if (eocd == std::string::npos)
        throw Error(what + " is not an .npz archive (no zip directory)");
    const std::size_t entries = le16(zip, eocd + 10);
    std::size_t at = le32(zip, eocd + 16);
    std::map<std::string, Tensor> arrays;
    for (std::size_t e = 0; e < entries; ++e) {
        if (at + 46 > zip.size() || le32(zip, at) != 0x02014b50)
            throw Error(what + ": corrupt zip directory");
        const int method = le16(zip, at + 10);
        const std::size_t compressedSize = le32(zip, at + 20);
        const std::size_t size = le32(zip, at + 24);
        const std::size_t nameLength = le16(zip, at + 28);
        const std::size_t extra = le16(zip, at + 30);
        const std::size_t comment = le16(zip, at + 32);
        const std::size_t local = le32(zip, at + 42);
        if (at + 46 + nameLength > zip.size())
            throw Error(what + ": corrupt zip directory");
        std::string name(zip.substr(at + 46, nameLength));
        at += 46 + nameLength + extra + comment;
        if (local + 30 > zip.size() || le32(zip, local) != 0x04034b50)
            throw Error(what + ": corrupt zip entry " + name);
        const std::size_t dataAt = local + 30 + le16(zip, local + 26) + le16(zip, local + 28);
        if (dataAt + compressedSize > zip.size())
            throw Error(what + ": zip entry " + name + " is truncated");
        std::string data(zip.substr(dataAt, compressedSize));
        // Deflate expands at most ~1032:1; a larger claimed size is a lie that would make us allocate
        // up to 4 GiB before inflating a byte.
        if (method == 8 && size > compressedSize * 1032 + 1024)
            throw Error(what + ": zip entry " + name + " claims " + std::to_string(size) + " bytes from "
                        + std::to_string(compressedSize) + " compressed (corrupt or a zip bomb)");
        if (method == 8)
            data = inflateRaw(data, size, what);
        else if (method != 0)
            throw Error(what + ": zip entry " + name + " uses unsupported compression method " + std::to_string(method));
        if (name.size() > 4 && name.substr(name.size() - 4) == ".npy")
            name.resize(name.size() - 4);
        arrays.emplace(name, parseNpy(data, what + ":" + name));
    }
    return arrays;
}

} // namespace qs
