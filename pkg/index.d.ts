// Types of the siyu package for `import`: the same declarations as for
// `require` (index.d.cts), which hold them once.
export * from './index.cjs';
