#!/usr/bin/env node
// Runs an ONNX model with onnxruntime (CPU, sequential) as a reference for Quantscope's executor.
//
//   node run_model.js MODEL.onnx IN_DIR OUT_DIR [--threads N] [--repeat R]
//
// Reads IN_DIR/<input name>.npy for every model input (the safe file name is tried first, see below),
// writes every output as OUT_DIR/<safe name>.npy, where characters other than [A-Za-z0-9._-] become
// '_' (the rule of safeFileName in app/cli/inputfiles.h). With --repeat R it runs R more times after
// two warm-ups and prints {"median_ms", "min_ms", "median_cpu_ms", "runs", "threads"} as JSON on stdout.
// Exit status: 0 on success, 2 on bad usage or input, 3 when onnxruntime rejects or fails the model.
'use strict';

const fs = require('fs');
const path = require('path');

function fail(code, message) {
    process.stderr.write(`run_model.js: ${message}\n`);
    process.exit(code);
}

const safeFileName = (name) => name.replace(/[^A-Za-z0-9._-]/g, '_');

// numpy descr <-> onnxruntime tensor type and typed array.
const TYPES = {
    '<f4': { ort: 'float32', array: Float32Array },
    '<f8': { ort: 'float64', array: Float64Array },
    '<i8': { ort: 'int64', array: BigInt64Array },
    '<u8': { ort: 'uint64', array: BigUint64Array },
    '<i4': { ort: 'int32', array: Int32Array },
    '<i2': { ort: 'int16', array: Int16Array },
    '|i1': { ort: 'int8', array: Int8Array },
    '|u1': { ort: 'uint8', array: Uint8Array },
    '|b1': { ort: 'bool', array: Uint8Array },
};
const DESCR_OF = Object.fromEntries(Object.entries(TYPES).map(([descr, t]) => [t.ort, descr]));

function readNpy(file) {
    const bytes = fs.readFileSync(file);
    if (bytes.length < 10 || bytes.toString('latin1', 0, 6) !== '\x93NUMPY')
        fail(2, `${file}: not an .npy file`);
    const major = bytes[6];
    const headerLen = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
    const start = (major === 1 ? 10 : 12) + headerLen;
    const header = bytes.toString('latin1', major === 1 ? 10 : 12, start);
    const descr = /'descr':\s*'([^']+)'/.exec(header);
    const fortran = /'fortran_order':\s*(True|False)/.exec(header);
    const shape = /'shape':\s*\(([^)]*)\)/.exec(header);
    if (!descr || !fortran || !shape)
        fail(2, `${file}: malformed .npy header`);
    const type = TYPES[descr[1].replace(/^=/, '<')];
    if (!type)
        fail(2, `${file}: unsupported dtype ${descr[1]}`);
    if (fortran[1] === 'True')
        fail(2, `${file}: Fortran-order arrays are not supported`);
    const dims = shape[1].split(',').map((s) => s.trim()).filter((s) => s.length).map(Number);
    const count = dims.reduce((a, b) => a * b, 1);
    // Copy into a fresh, aligned buffer: the payload offset need not be a multiple of the element size.
    const payload = new Uint8Array(count * type.array.BYTES_PER_ELEMENT);
    if (bytes.length - start < payload.length)
        fail(2, `${file}: truncated data`);
    payload.set(bytes.subarray(start, start + payload.length));
    const data = new type.array(payload.buffer);
    const isBool = type.ort === 'bool';
    return { type: type.ort, data: isBool ? Uint8Array.from(data, (v) => (v ? 1 : 0)) : data, dims };
}

function writeNpy(file, tensor) {
    const descr = DESCR_OF[tensor.type];
    if (!descr)
        fail(3, `output type ${tensor.type} cannot be written as .npy`);
    const dims = tensor.dims.map(Number);
    const shape = dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(', ')})`;
    let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
    header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n'; // pad to a 64-byte boundary
    const prefix = Buffer.alloc(10);
    prefix.write('\x93NUMPY', 0, 'latin1');
    prefix[6] = 1;
    prefix[7] = 0;
    prefix.writeUInt16LE(header.length, 8);
    const data = tensor.data;
    const body = tensor.type === 'bool' ? Buffer.from(Uint8Array.from(data, (v) => (v ? 1 : 0)))
                                        : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    fs.writeFileSync(file, Buffer.concat([prefix, Buffer.from(header, 'latin1'), body]));
}

function parseArgs(argv) {
    const positional = [];
    const options = { threads: 1, repeat: 0 };
    for (let i = 0; i < argv.length; ++i) {
        const a = argv[i];
        if (a === '--threads' || a === '--repeat') {
            const v = Number(argv[++i]);
            if (!Number.isInteger(v) || v < 1 || v > 10000)
                fail(2, `${a} needs a positive integer`);
            options[a.slice(2)] = v;
        } else if (a.startsWith('--')) {
            fail(2, `unknown option ${a}`);
        } else {
            positional.push(a);
        }
    }
    if (positional.length !== 3)
        fail(2, 'usage: node run_model.js MODEL.onnx IN_DIR OUT_DIR [--threads N] [--repeat R]');
    [options.model, options.inDir, options.outDir] = positional;
    return options;
}

async function main() {
    const options = parseArgs(process.argv.slice(2));
    let ort;
    try {
        ort = require('onnxruntime-node');
    } catch (e) {
        fail(2, `onnxruntime-node is not installed (run npm ci in ${__dirname}): ${e.message}`);
    }
    ort.env.logLevel = 'error'; // not the warning per initializer listed as a graph input
    let session;
    try {
        session = await ort.InferenceSession.create(options.model, {
            logSeverityLevel: 3,
            executionProviders: ['cpu'],
            executionMode: 'sequential',
            intraOpNumThreads: options.threads,
            interOpNumThreads: 1,
            graphOptimizationLevel: 'all',
        });
    } catch (e) {
        fail(3, `onnxruntime rejected ${options.model}: ${e.message}`);
    }
    const feeds = {};
    for (const name of session.inputNames) {
        const candidates = [safeFileName(name), name].map((n) => path.join(options.inDir, `${n}.npy`));
        const file = candidates.find((f) => fs.existsSync(f));
        if (!file)
            fail(2, `no input file for '${name}' (expected ${candidates[0]})`);
        const t = readNpy(file);
        feeds[name] = new ort.Tensor(t.type, t.data, t.dims);
    }
    let outputs;
    try {
        outputs = await session.run(feeds);
        if (options.repeat > 0) {
            await session.run(feeds); // second warm-up; the first run above is the other
            const times = [];
            const cpuTimes = []; // CPU time of the whole process: robust when the machine is busy
            for (let r = 0; r < options.repeat; ++r) {
                const c0 = process.cpuUsage();
                const t0 = process.hrtime.bigint();
                await session.run(feeds);
                times.push(Number(process.hrtime.bigint() - t0) / 1e6);
                const c = process.cpuUsage(c0);
                cpuTimes.push((c.user + c.system) / 1e3);
            }
            const median = (v) => {
                const s = [...v].sort((a, b) => a - b);
                const n = s.length;
                return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
            };
            process.stdout.write(JSON.stringify({
                median_ms: median(times), min_ms: Math.min(...times), median_cpu_ms: median(cpuTimes),
                runs: times.length, threads: options.threads,
            }) + '\n');
        }
    } catch (e) {
        fail(3, `onnxruntime failed to run ${options.model}: ${e.message}`);
    }
    fs.mkdirSync(options.outDir, { recursive: true });
    for (const name of session.outputNames)
        writeNpy(path.join(options.outDir, `${safeFileName(name)}.npy`), outputs[name]);
    await session.release();
}

main().catch((e) => fail(3, e.stack || String(e)));
