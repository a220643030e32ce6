import type * as Arrow from 'apache-arrow';
import type * as ParquetWasm from 'parquet-wasm/node/parquet_wasm';

/** The libraries parquet files are read and written with. */
export interface ParquetLibs {
  arrow: typeof Arrow;
  wasm: typeof ParquetWasm;
}

let libs: ParquetLibs | undefined;

/**
 * apache-arrow and parquet-wasm, loaded on first use: parquet-wasm compiles its
 * 5 MB WebAssembly module when loaded, which a kernel or CLI run that never
 * touches a parquet file should not pay for. `parquet-wasm/node` is its CommonJS
 * build, which loads the module from its own folder with no bundler or fetch.
 */
export function parquetLibs(): ParquetLibs {
  libs ??= {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    arrow: require('apache-arrow') as typeof Arrow,
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    wasm: require('parquet-wasm/node') as typeof ParquetWasm
  };
  return libs;
}
