package snapshot

import (
	"context"
	"errors"

	"github.com/usagetop/usagetop/api"
)

// addProducts gives every product tuple in recs an id, adding the new
// ones to the products table (in a statement of their own, so a window's
// transaction never waits on it; a product added for nothing costs a row).
func (s *Store) addProducts(recs []api.Record) error {
	var missing []product
	s.mu.Lock()
	seen := map[product]bool{}
	for i := range recs {
		p := productOf(&recs[i])
		if _, ok := s.ids[p]; !ok && !seen[p] {
			seen[p] = true
			missing = append(missing, p)
		}
	}
	s.mu.Unlock()
	if len(missing) == 0 {
		return nil
	}
	inserts := make([]stmt, len(missing))
	for i, p := range missing {
		inserts[i] = stmt{`INSERT INTO products (name, category, unit, currency) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`,
			[]any{p.name, p.category, p.unit, p.currency}}
	}
	ctx, cancel := s.ctx()
	defer cancel()
	if err := s.execTx(ctx, inserts); err != nil {
		return err
	}
	// Read them all back: another process may have added some too.
	return s.loadProducts(ctx, s.db)
}

// idOf returns the id of r's product, which addProducts has stored.
func (s *Store) idOf(r *api.Record) uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ids[productOf(r)]
}

// decode reads a window's blob, reading the products table again once if
// the blob names a product another process added.
func (s *Store) decode(ctx context.Context, q querier, blob []byte, from api.Date) ([]api.Record, error) {
	return s.decodeInto(ctx, q, nil, blob, from)
}

func (s *Store) decodeInto(ctx context.Context, q querier, dst []api.Record, blob []byte, from api.Date) ([]api.Record, error) {
	n := len(dst)
	for try := 0; ; try++ {
		s.mu.Lock()
		products := s.products
		s.mu.Unlock()
		out, err := decodeRecords(dst[:n], blob, from, products)
		if !errors.Is(err, errUnknownProduct) || try > 0 {
			return out, err
		}
		if err := s.loadProducts(ctx, q); err != nil {
			return dst, err
		}
	}
}

// loadProducts reads the interned product tuples.
func (s *Store) loadProducts(ctx context.Context, q querier) error {
	rows, err := q.QueryContext(ctx, "SELECT id, name, category, unit, currency FROM products ORDER BY id")
	if err != nil {
		return err
	}
	defer rows.Close()
	var products []product
	ids := map[product]uint64{}
	for rows.Next() {
		var id uint64
		var p product
		if err := rows.Scan(&id, &p.name, &p.category, &p.unit, &p.currency); err != nil {
			return err
		}
		for uint64(len(products)) <= id {
			products = append(products, product{})
		}
		products[id] = p
		ids[p] = id
	}
	if err := rows.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	s.products, s.ids = products, ids
	s.mu.Unlock()
	return nil
}
