using LoraPar.Pipeline.Manifest.Toml;

namespace LoraPar.Pipeline.Manifest.Sections;

/// <summary>Tokenizer format.</summary>
public enum TokenizerKind
{
    /// <summary>Whatever the model folder holds (tokenizer.json, else tokenizer.model); the tiny model's character tokenizer.</summary>
    Auto,

    /// <summary>A SentencePiece <c>tokenizer.model</c> (LLaMA-2).</summary>
    Sentencepiece,

    /// <summary>A Hugging Face <c>tokenizer.json</c> (BPE).</summary>
    HfJson,

    /// <summary>The built-in character-level tokenizer.</summary>
    Character,
}

/// <summary><c>[tokenizer]</c>: which tokenizer to load; by default the one beside the model.</summary>
public sealed record TokenizerSection
{
    /// <summary>Tokenizer format.</summary>
    public TokenizerKind Kind { get; init; } = TokenizerKind.Auto;

    /// <summary>An explicit tokenizer file or folder; null = the model's.</summary>
    public ManifestPath? Path { get; init; }

    internal static TokenizerSection Read(SectionReader r)
    {
        var d = new TokenizerSection();
        var section = new TokenizerSection { Kind = r.Enum("kind", d.Kind), Path = r.Path("path", PathKind.Any, mustExist: true) };
        r.Finish();
        return section;
    }
}
