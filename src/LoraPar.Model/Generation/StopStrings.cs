namespace LoraPar.Model.Generation;

/// <summary>Finds where a completion must be cut by a stop string.</summary>
public static class StopStrings
{
    /// <summary>The index of the earliest occurrence of any of <paramref name="stops"/> in <paramref name="text"/>, or −1.</summary>
    public static int FirstIndex(string text, IReadOnlyList<string> stops)
    {
        var first = -1;
        foreach (var stop in stops)
        {
            if (stop.Length == 0) continue;
            var at = text.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0 && (first < 0 || at < first)) first = at;
        }
        return first;
    }
}
