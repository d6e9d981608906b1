using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace MtkFlash.Tests.Support
{
    /// <summary>
    /// What a terminal shows after it received some output: enough of VT100/xterm to replay the CLI's live display
    /// (printable text with auto-wrap, CR, LF as the tty delivers it (CR LF), cursor up/down/column, erase in display and in
    /// line; colours and cursor visibility change nothing on screen). Tests assert on the screen, as a user sees it.
    /// </summary>
    public static class TerminalScreen
    {
        public static string[] Replay(string output, int width)
        {
            var rows = new List<StringBuilder> { new StringBuilder() };
            int row = 0, col = 0;

            void Put(char c)
            {
                if (col >= width) { row++; col = 0; }
                while (rows.Count <= row) rows.Add(new StringBuilder());
                var line = rows[row];
                while (line.Length < col) line.Append(' ');
                if (col < line.Length) line[col] = c; else line.Append(c);
                col++;
            }

            for (int i = 0; i < output.Length; i++)
            {
                char c = output[i];
                if (c == '\u001b' && i + 1 < output.Length && output[i + 1] == '[')
                {
                    int j = i + 2;
                    while (j < output.Length && (char.IsDigit(output[j]) || output[j] == ';' || output[j] == '?')) j++;
                    if (j >= output.Length) break;
                    var args = output.Substring(i + 2, j - i - 2).TrimStart('?');
                    int n = int.TryParse(args.Split(';')[0], out var v) ? v : 0;
                    switch (output[j])
                    {
                        case 'A': row = Math.Max(0, row - Math.Max(1, n)); break;
                        case 'B': row += Math.Max(1, n); break;
                        case 'G': col = Math.Max(1, n) - 1; break;
                        case 'J':
                            if (n == 0)
                            {
                                if (row < rows.Count)
                                {
                                    if (rows[row].Length > col) rows[row].Length = col;
                                    rows.RemoveRange(row + 1, rows.Count - row - 1);
                                }
                            }
                            else if (n == 2) { rows.Clear(); rows.Add(new StringBuilder()); row = 0; col = 0; }
                            break;
                        case 'K':
                            if (row < rows.Count)
                            {
                                if (n == 0 && rows[row].Length > col) rows[row].Length = col;
                                else if (n == 2) rows[row].Clear();
                            }
                            break;
                    }
                    i = j;
                    continue;
                }
                if (c == '\r') { col = 0; continue; }
                if (c == '\n') { row++; col = 0; while (rows.Count <= row) rows.Add(new StringBuilder()); continue; }
                if (c < ' ') continue;
                Put(c);
            }
            var lines = rows.Select(r => r.ToString().TrimEnd()).ToList();
            while (lines.Count > 0 && lines[lines.Count - 1].Length == 0) lines.RemoveAt(lines.Count - 1);
            return lines.ToArray();
        }
    }
}
