package site

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"image"
	_ "image/gif"  // to decode GIF figures
	_ "image/jpeg" // to decode JPEG figures
	_ "image/png"  // to decode PNG figures
	"io"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/net/html"
)

// Check reads the site in dir and returns what is broken in it, one line each: a link,
// image, audio or style-sheet reference of a page that names no file of the site (or
// leaves it), an anchor (#id) that its page does not have, and a picture or sound file
// that is empty or does not decode (SVG must be well-formed XML with an <svg> root,
// PNG/JPEG/GIF must decode, WAV must start with a RIFF/WAVE header). Links to other
// sites (http:, https:, mailto:) are not followed. It also returns how many pages and
// referenced files it checked. An error is for a site it cannot read at all.
func Check(dir string) (broken []string, pages, files int, err error) {
	var htmlFiles []string
	err = filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".html") {
			htmlFiles = append(htmlFiles, path)
		}
		return err
	})
	if err != nil {
		return nil, 0, 0, err
	}
	if len(htmlFiles) == 0 {
		return nil, 0, 0, fmt.Errorf("%s holds no pages", dir)
	}
	if _, err := os.Stat(filepath.Join(dir, "index.html")); err != nil {
		broken = append(broken, "index.html is missing")
	}
	ids := map[string]map[string]bool{} // page → its element ids
	refs := map[string][]string{}       // page → its references
	for _, path := range htmlFiles {
		pageIDs, pageRefs, err := scan(path)
		if err != nil {
			return nil, 0, 0, err
		}
		ids[path], refs[path] = pageIDs, pageRefs
	}
	checked := map[string]bool{}
	for _, page := range htmlFiles {
		rel, _ := filepath.Rel(dir, page)
		for _, ref := range refs[page] {
			u, err := url.Parse(ref)
			switch {
			case err != nil:
				broken = append(broken, fmt.Sprintf("%s: %q is not a URL", rel, ref))
				continue
			case u.Scheme == "http" || u.Scheme == "https" || u.Scheme == "mailto" || u.Scheme == "data":
				continue
			case u.Scheme != "" || u.Host != "" || strings.HasPrefix(u.Path, "/"):
				broken = append(broken, fmt.Sprintf("%s: %q points outside the site", rel, ref))
				continue
			}
			target := page
			if u.Path != "" {
				target = filepath.Join(filepath.Dir(page), filepath.FromSlash(u.Path))
				if r, err := filepath.Rel(dir, target); err != nil || strings.HasPrefix(r, "..") {
					broken = append(broken, fmt.Sprintf("%s: %q leaves the site", rel, ref))
					continue
				}
				info, err := os.Stat(target)
				if err != nil || info.IsDir() {
					broken = append(broken, fmt.Sprintf("%s: %q names no file of the site", rel, ref))
					continue
				}
				if !checked[target] {
					checked[target] = true
					if problem := checkMedia(target); problem != "" {
						r, _ := filepath.Rel(dir, target)
						broken = append(broken, fmt.Sprintf("%s: %s", r, problem))
					}
				}
			}
			if u.Fragment != "" && strings.HasSuffix(target, ".html") && !ids[target][u.Fragment] {
				broken = append(broken, fmt.Sprintf("%s: %q: the page has no element with id %q", rel, ref, u.Fragment))
			}
		}
	}
	sort.Strings(broken)
	return broken, len(htmlFiles), len(checked), nil
}

// scan returns the element ids of the page at path and the references it makes (href of
// a and link, src of img, audio, source, script, iframe and embed, data of object).
func scan(path string) (map[string]bool, []string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	doc, err := html.Parse(f)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	ids := map[string]bool{}
	var refs []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			for _, a := range n.Attr {
				switch {
				case a.Key == "id":
					ids[a.Val] = true
				case a.Key == "href" && (n.Data == "a" || n.Data == "link"),
					a.Key == "src" && (n.Data == "img" || n.Data == "audio" || n.Data == "source" || n.Data == "script" || n.Data == "iframe" || n.Data == "embed"),
					a.Key == "data" && n.Data == "object":
					refs = append(refs, a.Val)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return ids, refs, nil
}

// checkMedia says what is wrong with a picture or sound file, or "" when nothing is
// (or when it is of another kind).
func checkMedia(path string) string {
	ext := strings.ToLower(filepath.Ext(path))
	switch ext {
	case ".svg", ".png", ".jpg", ".jpeg", ".gif", ".wav":
	default:
		return ""
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	if len(data) == 0 {
		return "empty file"
	}
	switch ext {
	case ".svg":
		dec := xml.NewDecoder(bytes.NewReader(data))
		root := ""
		for {
			tok, err := dec.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				return "not well-formed SVG: " + err.Error()
			}
			if start, ok := tok.(xml.StartElement); ok && root == "" {
				root = start.Name.Local
			}
		}
		if root != "svg" {
			return fmt.Sprintf("an SVG file whose root element is <%s>", root)
		}
	case ".wav":
		if len(data) < 44 || string(data[:4]) != "RIFF" || string(data[8:12]) != "WAVE" {
			return "not a WAV file (no RIFF/WAVE header)"
		}
	default:
		cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
		if err != nil {
			return "does not decode: " + err.Error()
		}
		if cfg.Width == 0 || cfg.Height == 0 {
			return fmt.Sprintf("an image of %d×%d pixels", cfg.Width, cfg.Height)
		}
	}
	return ""
}
