package connapitest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"path"
	"strings"
	"time"
)

// Every Stack AI connection browses the same deterministic tree (its resource IDs
// differ per connection): three directories and four files at the root; each
// directory holds a "2024" subdirectory and twelve files; each subdirectory holds
// three files. 55 resources in all.

type stackResource struct {
	id, path, kind string // kind: "directory" or "file"
	children       []string
	size           int
	mime, hash     string
	created        time.Time
}

type resourceTree struct {
	byID  map[string]*stackResource
	root  []string // IDs at the root
	order []string // every ID, depth first
}

type stackResourceJSON struct {
	ResourceID         string            `json:"resource_id"`
	InodeType          string            `json:"inode_type"`
	InodePath          map[string]string `json:"inode_path"`
	InodeID            *string           `json:"inode_id"`
	KnowledgeBaseID    *string           `json:"knowledge_base_id"`
	CreatedAt          string            `json:"created_at"`
	ModifiedAt         string            `json:"modified_at"`
	IndexedAt          *string           `json:"indexed_at"`
	DataloaderMetadata map[string]any    `json:"dataloader_metadata"`
	UserMetadata       map[string]any    `json:"user_metadata"`
	Status             string            `json:"status,omitempty"`
	Size               *int              `json:"size,omitempty"`
	ContentMime        string            `json:"content_mime,omitempty"`
	ContentHash        string            `json:"content_hash,omitempty"`
}

var mimeByExt = map[string]string{
	".pdf":  "application/pdf",
	".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	".csv":  "text/csv",
	".md":   "text/markdown",
	".txt":  "text/plain",
	".png":  "image/png",
}

func buildTree(connID string) *resourceTree {
	t := &resourceTree{byID: map[string]*stackResource{}}
	n := 0
	add := func(parent *stackResource, p, kind string) *stackResource {
		sum := sha256.Sum256([]byte(connID + ":" + p))
		res := &stackResource{
			id:      hex.EncodeToString(sum[:10]),
			path:    p,
			kind:    kind,
			created: SeedTime.Add(time.Duration(n) * time.Hour),
		}
		n++
		if kind == "file" {
			res.size = 1024 * (1 + int(sum[10])<<2)
			res.mime = mimeByExt[path.Ext(p)]
			res.hash = hex.EncodeToString(sum[12:28])
		}
		t.byID[res.id] = res
		t.order = append(t.order, res.id)
		if parent == nil {
			t.root = append(t.root, res.id)
		} else {
			parent.children = append(parent.children, res.id)
		}
		return res
	}
	exts := []string{".pdf", ".docx", ".csv", ".md"}
	for _, dir := range []string{"Documents", "Reports", "Archive"} {
		d := add(nil, dir, "directory")
		sub := add(d, dir+"/2024", "directory")
		for i := 1; i <= 3; i++ {
			add(sub, fmt.Sprintf("%s/2024/q%d-summary.pdf", dir, i), "file")
		}
		for i := 1; i <= 12; i++ {
			add(d, fmt.Sprintf("%s/%s-%02d%s", dir, strings.ToLower(dir), i, exts[i%len(exts)]), "file")
		}
	}
	for _, f := range []string{"README.md", "notes.txt", "budget.xlsx", "logo.png"} {
		add(nil, f, "file")
	}
	return t
}

func (r *stackResource) json() stackResourceJSON {
	out := stackResourceJSON{
		ResourceID:         r.id,
		InodeType:          r.kind,
		InodePath:          map[string]string{"path": r.path},
		CreatedAt:          pyTime(r.created),
		ModifiedAt:         pyTime(r.created.Add(30 * time.Minute)),
		DataloaderMetadata: map[string]any{},
		UserMetadata:       map[string]any{},
	}
	if r.kind == "file" {
		size := r.size
		out.Status, out.Size, out.ContentMime, out.ContentHash = "resource", &size, r.mime, r.hash
	}
	return out
}

// treeFor returns c's tree, building it on first use; h.mu is held.
func treeFor(c *stackConn) *resourceTree {
	if c.tree == nil {
		c.tree = buildTree(c.id)
	}
	return c.tree
}

// stackResources serves GET /connections/{id}/resources?resource_ids=…: an object
// from each requested ID to its resource, or null when unknown.
func (h *Handler) stackResources(w http.ResponseWriter, r *http.Request) {
	ids := r.URL.Query()["resource_ids"]
	f, id := stackChecks(r, true)
	f.boolean("refresh_oauth_tokens")
	if !f.done(w) {
		return
	}
	c, ok := h.stackConnByID(w, id)
	if !ok {
		return
	}
	defer h.mu.Unlock()
	t := treeFor(c)
	out := make(map[string]*stackResourceJSON, len(ids))
	for _, id := range ids {
		if res, ok := t.byID[id]; ok {
			j := res.json()
			out[id] = &j
		} else {
			out[id] = nil
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// stackChildren lists a directory (root when resource_id is absent), cursor-paged.
// A file has no children.
func (h *Handler) stackChildren(w http.ResponseWriter, r *http.Request) {
	parent := r.URL.Query().Get("resource_id")
	f, id := stackChecks(r, true)
	h.stackCursorPage(w, f, id, func(t *resourceTree) ([]string, bool) {
		if parent == "" {
			return t.root, true
		}
		res, ok := t.byID[parent]
		if !ok {
			return nil, false
		}
		return res.children, true
	})
}

// stackSearch finds resources whose name contains query (case-insensitive),
// cursor-paged, depth first. query is a required string: absent is a 422, but an
// empty one is a string as FastAPI reads it, and matches every resource.
func (h *Handler) stackSearch(w http.ResponseWriter, r *http.Request) {
	f, id := stackChecks(r, true)
	qs, _ := f.str("query", true)
	query := strings.ToLower(qs)
	h.stackCursorPage(w, f, id, func(t *resourceTree) ([]string, bool) {
		var ids []string
		for _, id := range t.order {
			if strings.Contains(strings.ToLower(path.Base(t.byID[id].path)), query) {
				ids = append(ids, id)
			}
		}
		return ids, true
	})
}

// stackCursorPage writes {data, next_cursor, current_cursor} for one page of the
// IDs that list selects (404 when it reports false), connection id. f holds the
// checks of the path and query so far; page_size joins them.
func (h *Handler) stackCursorPage(w http.ResponseWriter, f *fastAPIFields, id string, list func(*resourceTree) ([]string, bool)) {
	size, _ := f.queryInt("page_size", 50, 1, 1000)
	f.boolean("refresh_oauth_tokens")
	if !f.done(w) {
		return
	}
	cursor := f.query.Get("cursor")
	offset, ok := parseOffsetToken(cursor)
	if !ok {
		writeJSON(w, http.StatusBadRequest, map[string]any{"detail": "Invalid cursor"})
		return
	}
	c, ok := h.stackConnByID(w, id)
	if !ok {
		return
	}
	defer h.mu.Unlock()
	t := treeFor(c)
	ids, ok := list(t)
	if !ok {
		stackNotFound(w, "Resource")
		return
	}
	lo, hi := window(len(ids), offset, size)
	data := make([]stackResourceJSON, 0, hi-lo)
	for _, id := range ids[lo:hi] {
		data = append(data, t.byID[id].json())
	}
	var next, current *string
	if hi < len(ids) {
		s := offsetToken(hi)
		next = &s
	}
	if cursor != "" {
		current = &cursor
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": data, "next_cursor": next, "current_cursor": current})
}
