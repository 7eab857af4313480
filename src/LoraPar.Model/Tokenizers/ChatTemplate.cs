using LoraPar.Core;

namespace LoraPar.Model.Tokenizers;

/// <summary>How a user message is wrapped into a prompt.</summary>
public enum ChatTemplate
{
    /// <summary>The text as is (base models).</summary>
    None,

    /// <summary>LLaMA-2 chat: <c>[INST] … [/INST]</c>, with an optional <c>&lt;&lt;SYS&gt;&gt;</c> block (BOS comes from the tokenizer).</summary>
    Llama2,

    /// <summary>ChatML (Qwen2): <c>&lt;|im_start|&gt;role\n…&lt;|im_end|&gt;</c> turns, ending with an open assistant turn.</summary>
    ChatMl,
}

/// <summary>Renders prompts with a <see cref="ChatTemplate"/>.</summary>
public static class ChatTemplates
{
    /// <summary>The manifest names: <c>none</c>, <c>llama-2</c>, <c>chatml</c>.</summary>
    public static IReadOnlyDictionary<string, ChatTemplate> Names { get; } = new Dictionary<string, ChatTemplate>
    {
        ["none"] = ChatTemplate.None,
        ["llama-2"] = ChatTemplate.Llama2,
        ["chatml"] = ChatTemplate.ChatMl,
    };

    /// <summary>The template called <paramref name="name"/>; a <see cref="BadInputException"/> listing the names otherwise.</summary>
    public static ChatTemplate Parse(string name) => Names.TryGetValue(name, out var template)
        ? template
        : throw new BadInputException($"chat template \"{name}\" is unknown; use one of: {string.Join(", ", Names.Keys)}.");

    /// <summary>The prompt for one user turn (and an optional system message), ready for the assistant's reply.</summary>
    public static string Format(this ChatTemplate template, string user, string? system = null) => template switch
    {
        ChatTemplate.None => system is null ? user : $"{system}\n\n{user}",
        ChatTemplate.Llama2 => system is null ? $"[INST] {user.Trim()} [/INST]" : $"[INST] <<SYS>>\n{system}\n<</SYS>>\n\n{user.Trim()} [/INST]",
        ChatTemplate.ChatMl => (system is null ? "" : $"<|im_start|>system\n{system}<|im_end|>\n") + $"<|im_start|>user\n{user}<|im_end|>\n<|im_start|>assistant\n",
        _ => throw new ArgumentOutOfRangeException(nameof(template)),
    };
}
