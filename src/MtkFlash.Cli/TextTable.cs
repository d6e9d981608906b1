using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace MtkFlash.Cli
{
    /// <summary>Plain fixed-width tables for human output (no colours, so logs and pipes stay clean).</summary>
    public static class TextTable
    {
        public static void Write<T>(TextWriter w, IEnumerable<T> rows, params (string Header, Func<T, object> Cell)[] columns)
        {
            var data = rows.Select(r => columns.Select(c => Convert.ToString(c.Cell(r) ?? string.Empty)).ToArray()).ToList();
            var widths = columns.Select((c, i) => Math.Max(c.Header.Length, data.Count == 0 ? 0 : data.Max(d => d[i].Length))).ToArray();
            w.WriteLine(string.Join("  ", columns.Select((c, i) => c.Header.PadRight(widths[i]))).TrimEnd());
            w.WriteLine(string.Join("  ", widths.Select(x => new string('-', x))));
            foreach (var d in data) w.WriteLine(string.Join("  ", d.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd());
        }
    }
}
