// `npm run bench`: every benchmark, side by side with CPython where there is one.
// Lines: `NAME VALUE UNIT` for a figure, `ratio NAME VALUE` for a comparison.
export {};
