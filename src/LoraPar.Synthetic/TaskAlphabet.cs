namespace LoraPar.Synthetic;

/// <summary>
/// The documented character set of the synthetic task. Every question, solution, prompt and pretraining document
/// uses only these characters, so the tiny model's character-level tokenizer is built from <see cref="Characters"/>
/// (plus its special tokens):
/// <list type="bullet">
/// <item>newline and space;</item>
/// <item>punctuation <c>! # ' * + , - . / : &lt; = &gt; ?</c> (<c>#</c> for <c>#### N</c>, <c>&lt;&lt;a+b=c&gt;&gt;</c> for calculator
/// annotations, <c>/</c> for closing tags such as <c>&lt;/answer&gt;</c>);</item>
/// <item>digits <c>0-9</c>, letters <c>A-Z</c> and <c>a-z</c>.</item>
/// </list>
/// 78 characters in all, in ordinal order.
/// </summary>
public static class TaskAlphabet
{
    /// <summary>The characters, sorted by code point.</summary>
    public const string Characters =
        "\n !#'*+,-./0123456789:<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary>Whether every character of <paramref name="text"/> is in <see cref="Characters"/>.</summary>
    public static bool Covers(string text) => FirstOutside(text) < 0;

    /// <summary>The index of the first character of <paramref name="text"/> outside the set, or -1.</summary>
    public static int FirstOutside(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (Characters.IndexOf(text[i], StringComparison.Ordinal) < 0) return i;
        }
        return -1;
    }
}
