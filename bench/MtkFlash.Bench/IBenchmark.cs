using System.Collections.Generic;

namespace MtkFlash.Bench
{
    /// <summary>One entry of bench/results.json.</summary>
    public sealed class Figure
    {
        public string Name { get; set; }
        public double Value { get; set; }
        public string Unit { get; set; }
        /// <summary>The target, or null when the figure is tracked without one.</summary>
        public double? Target { get; set; }
        /// <summary>"&lt;=" or "&gt;=", or null without a target.</summary>
        public string Comparison { get; set; }
        public string Note { get; set; }
    }

    public sealed class BenchOptions
    {
        public bool Quick { get; set; }
        /// <summary>A scratch folder the benchmark may fill; deleted afterwards.</summary>
        public string WorkFolder { get; set; }
        public string RepoRoot { get; set; }
    }

    /// <summary>A benchmark: found by reflection, run in quick and full mode, returns its figures.</summary>
    public interface IBenchmark
    {
        /// <summary>Sorts the run order and the table: "1", "2", ... as in issue 15.</summary>
        string Number { get; }
        string Title { get; }
        IEnumerable<Figure> Run(BenchOptions options);
    }
}
