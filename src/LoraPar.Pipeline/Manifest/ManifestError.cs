namespace LoraPar.Pipeline.Manifest;

/// <summary>One manifest problem: where, which key, what is wrong — printed as <c>file:line:col key: message</c>.</summary>
public sealed record ManifestError(SourceLocation Location, string Key, string Message)
{
    private const int MaxKey = 100;
    private const int MaxMessage = 400;

    /// <summary>One line, whatever the key and message hold (line breaks become spaces; a huge key or message is cut with '…').</summary>
    public override string ToString()
    {
        var message = Clip(Message, MaxMessage);
        return Key.Length == 0 ? $"{Location}: {message}" : $"{Location} {Clip(Key, MaxKey)}: {message}";
    }

    private static string Clip(string text, int max)
    {
        var line = text.ReplaceLineEndings(" ");
        return line.Length <= max ? line : line[..max] + "…";
    }
}
