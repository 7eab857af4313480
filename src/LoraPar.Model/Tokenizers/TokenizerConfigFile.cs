using LoraPar.Core;
using System.Text.Json;

namespace LoraPar.Model.Tokenizers;

/// <summary>The special-token settings of <c>tokenizer_config.json</c>: token texts (a string or an AddedToken object) and add_bos_token.</summary>
public sealed record TokenizerConfigFile(string? BosToken, string? EosToken, string? PadToken, bool? AddBosToken)
{
    /// <summary>Reads <paramref name="path"/>; null when it does not exist.</summary>
    public static TokenizerConfigFile? TryLoad(string path)
    {
        if (!File.Exists(path)) return null;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var root = doc.RootElement;
            bool? addBos = root.TryGetProperty("add_bos_token", out var a) && a.ValueKind is JsonValueKind.True or JsonValueKind.False ? a.GetBoolean() : null;
            return new TokenizerConfigFile(Token(root, "bos_token"), Token(root, "eos_token"), Token(root, "pad_token"), addBos);
        }
        catch (JsonException e)
        {
            throw new BadInputException($"{path}:{e.LineNumber + 1}: not valid JSON: {e.Message}", e);
        }
    }

    private static string? Token(JsonElement root, string key)
    {
        if (!root.TryGetProperty(key, out var e)) return null;
        return e.ValueKind switch
        {
            JsonValueKind.String => e.GetString(),
            JsonValueKind.Object when e.TryGetProperty("content", out var c) => c.GetString(),
            _ => null,
        };
    }
}
