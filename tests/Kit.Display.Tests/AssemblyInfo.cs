// plotly.js rides with the first chart HTML of a page (one per process): tests that render charts and one
// that checks which render carries it must not interleave.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
