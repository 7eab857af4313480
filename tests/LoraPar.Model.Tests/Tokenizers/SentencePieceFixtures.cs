using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LoraPar.Model.Tests.Tokenizers;

/// <summary>
/// One line of a fixture written by Fixtures/make_sentencepiece_fixtures.py with Google's SentencePiece: a text and its ids
/// (<c>decoded</c> = the reference's decoding of the ids), or an id sequence and its decodings, or (source
/// <c>humaneval-continuation</c>) a canonical solution as a model would emit it after the prompt's ids.
/// </summary>
internal sealed record SentencePieceCase(
    string Source, string? Text, int[] Ids, string Decoded, string? DecodedSkipSpecial, string? TaskId, int[]? PromptIds, string? DecodedAlone)
{
    /// <summary>The fixture folder copied next to the test binaries.</summary>
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "Tokenizers", "Fixtures");

    /// <summary>Every case of fixture <paramref name="name"/> (a .jsonl.gz file in <see cref="Folder"/>).</summary>
    public static IReadOnlyList<SentencePieceCase> Read(string name)
    {
        using var file = File.OpenRead(Path.Combine(Folder, name));
        using var reader = new StreamReader(new GZipStream(file, CompressionMode.Decompress));
        var cases = new List<SentencePieceCase>();
        while (reader.ReadLine() is { } line)
        {
            var row = JsonNode.Parse(line)!.AsObject();
            int[]? Ints(string key) => row[key]?.Deserialize<int[]>();
            cases.Add(new SentencePieceCase((string)row["source"]!, (string?)row["text"], Ints("ids")!, (string)row["decoded"]!,
                (string?)row["decoded_skip_special"], (string?)row["task_id"], Ints("prompt_ids"), (string?)row["decoded_alone"]));
        }
        return cases;
    }

    public override string ToString() => $"{Source} {JsonSerializer.Serialize(Text ?? TaskId)} [{string.Join(", ", Ids.Take(40))}]";
}
