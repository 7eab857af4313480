using System.Text.Json.Serialization;
using Parquet.Serialization;

namespace LoraPar.Cli.Tests.Commands;

/// <summary>A chat-format Parquet fixture: rows of <c>messages</c> (list of role/content structs) and a System <c>label</c>.</summary>
internal static class OwnParquet
{
    /// <summary>Writes <paramref name="rows"/> conversations: even rows one-step sums (System 1), odd rows worked multi-step problems (System 2).</summary>
    public static void WriteChats(string path, int rows)
    {
        var chats = Enumerable.Range(0, rows).Select(i => new Chat
        {
            Messages =
            [
                new() { Role = "system", Content = "You are a careful calculator." },
                new() { Role = "user", Content = i % 2 == 0 ? $"What is {i} plus {i + 3}?" : $"Ann has {i} bags of {i + 2} pens and buys {i + 1} more pens. How many pens does she have?" },
                new()
                {
                    Role = "assistant",
                    Content = i % 2 == 0 ? $"Adding {i} and {i + 3} gives {2 * i + 3}, the sum asked for.\n#### {2 * i + 3}"
                        : Steps(i),
                },
            ],
            Label = i % 2 + 1,
        }).ToList();
        ParquetSerializer.SerializeAsync(chats, path).GetAwaiter().GetResult();
    }

    /// <summary>A worked System-2 solution: four calculator steps in GSM8K's notation, then <c>#### N</c>.</summary>
    private static string Steps(int i)
    {
        var (bags, total) = (i * (i + 2), i * (i + 2) + i + 1);
        return $"{i}*{i + 2}=<<{i}*{i + 2}={bags}>>{bags} pens in the bags.\n{bags}+{i + 1}=<<{bags}+{i + 1}={total}>>{total} pens in all.\n"
               + $"{total}-1=<<{total}-1={total - 1}>>{total - 1} without the broken pen.\n{total - 1}+1=<<{total - 1}+1={total}>>{total} with it again.\n#### {total}";
    }

    internal sealed class Chat
    {
        [JsonPropertyName("messages")] public List<Turn> Messages { get; set; } = [];
        [JsonPropertyName("label")] public long Label { get; set; }
    }

    internal sealed class Turn
    {
        [JsonPropertyName("role")] public string Role { get; set; } = "";
        [JsonPropertyName("content")] public string Content { get; set; } = "";
    }
}
