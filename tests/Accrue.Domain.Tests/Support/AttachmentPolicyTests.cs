using System.Text;
using Accrue.Domain.Support;

namespace Accrue.Domain.Tests.Support;

public sealed class AttachmentPolicyTests
{
    private static readonly byte[] Png = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13];

    [Theory]
    [InlineData("screen.png", "image/png")]
    [InlineData("screen.PNG.txt", "image/png")] // the content decides, not the name
    public void Images_are_recognised_by_their_content(string name, string expected)
    {
        var result = AttachmentPolicy.Check([new Upload(name, Png)]);

        Assert.Equal(expected, Assert.Single(result.Value!).ContentType);
    }

    [Theory]
    [InlineData("x.png.html", "x.png")]
    [InlineData("x.html", "x.png")]
    [InlineData("shot.PNG", "shot.PNG")]
    [InlineData("screen.PNG.txt", "screen.PNG")]
    [InlineData("photo.jpeg.svg", "photo.jpeg.png")]
    [InlineData(".html", "attachment.png")]
    public void The_stored_name_ends_with_the_extension_of_the_detected_type(string name, string expected)
    {
        var result = AttachmentPolicy.Check([new Upload(name, Png)]);

        Assert.Equal(expected, Assert.Single(result.Value!).FileName);
    }

    [Theory]
    [InlineData("%PDF-1.7\n", "doc.pdf", "application/pdf")]
    [InlineData("GIF89a....", "a.gif", "image/gif")]
    [InlineData("plain words\nline two", "log.txt", "text/plain")]
    [InlineData("a,b\n1,2", "data.csv", "text/csv")]
    [InlineData("crème brûlée", "notes.log", "text/plain")]
    public void PDF_GIF_and_text_files_are_accepted(string content, string name, string expected)
    {
        var result = AttachmentPolicy.Check([new Upload(name, Encoding.UTF8.GetBytes(content))]);

        Assert.Equal(expected, Assert.Single(result.Value!).ContentType);
    }

    [Theory]
    [InlineData("MZ\x90\0", "setup.png")]
    [InlineData("\x7f" + "ELF", "tool.txt")]
    [InlineData("#!/bin/sh\nrm -rf /", "run.txt")]
    [InlineData("plain text", "run.exe")]
    [InlineData("alert(1)", "x.js")]
    public void Programs_and_scripts_are_refused_whatever_their_name(string content, string name)
    {
        var result = AttachmentPolicy.Check([new Upload(name, Encoding.Latin1.GetBytes(content))]);

        Assert.Contains("program or script", result.Failure!.Errors!["Attachments"][0]);
    }

    [Theory]
    [InlineData("<html>hello</html>", "page.html")]
    [InlineData("PK\x03\x04zip", "archive.zip")]
    [InlineData("text with a \0 byte", "x.txt")]
    public void Unknown_types_are_refused(string content, string name)
    {
        var result = AttachmentPolicy.Check([new Upload(name, Encoding.Latin1.GetBytes(content))]);

        Assert.Contains("not a file type we accept", result.Failure!.Errors!["Attachments"][0]);
    }

    [Fact]
    public void Invalid_UTF8_is_not_text()
    {
        Assert.False(AttachmentPolicy.Check([new Upload("x.txt", [0xC3, 0x28])]).Succeeded);
    }

    [Fact]
    public void Files_over_5_MB_empty_files_and_more_than_5_files_are_refused()
    {
        var big = new byte[AttachmentPolicy.MaxBytes + 1];
        Png.CopyTo(big, 0);
        Assert.Contains("larger than 5 MB", AttachmentPolicy.Check([new Upload("big.png", big)]).Failure!.Errors!["Attachments"][0]);
        Assert.Contains("is empty", AttachmentPolicy.Check([new Upload("e.txt", [])]).Failure!.Errors!["Attachments"][0]);
        var six = Enumerable.Range(0, 6).Select(i => new Upload($"{i}.png", Png)).ToList();
        Assert.Contains("at most 5 files", AttachmentPolicy.Check(six).Failure!.Errors!["Attachments"][0]);

        var exactly = new byte[AttachmentPolicy.MaxBytes];
        Png.CopyTo(exactly, 0);
        Assert.True(AttachmentPolicy.Check([new Upload("max.png", exactly)]).Succeeded);
    }

    [Theory]
    [InlineData("C:\\Users\\me\\shot.png", "shot.png")]
    [InlineData("../../etc/passwd.png", "passwd.png")]
    [InlineData("\"<bad>\".png", "bad.png")]
    [InlineData("", "attachment")]
    public void File_names_lose_paths_and_markup(string name, string expected)
    {
        Assert.Equal(expected, AttachmentPolicy.CleanName(name));
    }
}
