namespace LoraPar.Pipeline.Manifest.Toml;

/// <summary>
/// Finds arrays and inline tables nested deeper than a manifest needs before the parser sees them: Tomlyn throws on deep
/// nesting and takes minutes on a megabyte of brackets. Strings and comments are skipped; headers count like arrays.
/// </summary>
public static class NestingDepth
{
    /// <summary>The deepest nesting a manifest may use (the deepest real one uses 3).</summary>
    public const int Max = 32;

    /// <summary>The 0-based index of the bracket that opens level <see cref="Max"/> + 1, or -1 when there is none.</summary>
    public static int FirstTooDeep(string text)
    {
        var depth = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '#': i = SkipTo(text, i, "\n") - 1; break;
                case '"' or '\'': i = SkipString(text, i) - 1; break;
                case '[' or '{' when ++depth > Max: return i;
                case ']' or '}': depth = Math.Max(0, depth - 1); break;
            }
        }
        return -1;
    }

    private static int SkipString(string text, int start)
    {
        var quote = text[start];
        var triple = new string(quote, 3);
        if (string.CompareOrdinal(text, start, triple, 0, 3) == 0) return SkipTo(text, start + 3, triple);
        for (var i = start + 1; i < text.Length; i++)
        {
            if (text[i] == '\n' || text[i] == quote) return i + 1;
            if (quote == '"' && text[i] == '\\') i++;
        }
        return text.Length;
    }

    private static int SkipTo(string text, int from, string end)
    {
        var at = text.IndexOf(end, from, StringComparison.Ordinal);
        return at < 0 ? text.Length : at + end.Length;
    }
}
