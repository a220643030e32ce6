// Extra bundler settings merged into @jupyter/builder's configuration.
// The TypeScript compiler (loaded on demand for live source analysis) refers to Node
// built-ins and makes dynamic requires behind runtime checks that never pass in a
// browser; the built-ins are left out and those warnings silenced.
module.exports = {
  resolve: {
    fallback: {
      fs: false,
      path: false,
      os: false,
      crypto: false,
      inspector: false,
      perf_hooks: false,
      'source-map-support': false
    }
  },
  ignoreWarnings: [{ module: /node_modules[\\/]typescript[\\/]/ }]
};
